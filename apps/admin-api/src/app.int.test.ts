import { createLogger } from '@neurosphere/http';
import { describeHealthRoutes } from '@neurosphere/testing';
import { buildApp } from './app';
import { createHarness } from '../test/harness';
import type { Harness } from '../test/harness';

// Real servers only: DATABASE_URL, DATABASE_PLATFORM_URL and REDIS_URL must point at a running PostgreSQL and Redis.
describe('admin-api health', () => {
  let harness: Harness;

  beforeAll(() => {
    harness = createHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  describeHealthRoutes({
    app: () => harness.app,
    appWithRedis: (redis) => ({
      app: buildApp({ ...harness.appDeps, logger: createLogger({ service: 'admin-api-test', level: 'silent' }), redis }),
    }),
  });
});

import { createLogger } from '@neurosphere/http';
import { describeHealthRoutes, useHarness } from '@neurosphere/testing';
import { buildApp } from './app';
import { startHarness } from '../test/harness';

// Real servers only: DATABASE_URL, DATABASE_PLATFORM_URL and REDIS_URL must point at a running PostgreSQL and Redis.
describe('admin-api health', () => {
  const harness = useHarness(startHarness);

  describeHealthRoutes({
    app: () => harness.app,
    appWithRedis: (redis) => ({
      app: buildApp({ ...harness.appDeps, logger: createLogger({ service: 'admin-api-test', level: 'silent' }), redis }),
    }),
  });
});

import { describeHealthRoutes, useHarness } from '@neurosphere/testing';
import { buildApp } from './app';
import { startHarness, silentLogger } from '../test/harness';

// Real servers only: DATABASE_URL and REDIS_URL must point at a running PostgreSQL and Redis.
describe('memory health', () => {
  const kit = useHarness(startHarness);

  describeHealthRoutes({
    app: () => kit.app,
    appWithRedis: (redis) => ({
      app: buildApp({ logger: silentLogger, pool: kit.pool, redis, db: kit.db, queue: kit.queue, jwks: kit.jwks }),
    }),
  });
});

import { describeHealthRoutes } from '@neurosphere/testing';
import { buildApp } from './app';
import { createMemoryTestKit, silentLogger } from './testing/memory-test-kit';
import type { MemoryTestKit } from './testing/memory-test-kit';

// Real servers only: DATABASE_URL and REDIS_URL must point at a running PostgreSQL and Redis.
describe('memory health', () => {
  let kit: MemoryTestKit;

  beforeAll(async () => {
    kit = await createMemoryTestKit();
  });
  afterAll(async () => {
    await kit.close();
  });

  describeHealthRoutes({
    app: () => kit.app,
    appWithRedis: (redis) => ({
      app: buildApp({ logger: silentLogger, pool: kit.pool, redis, db: kit.db, queue: kit.queue, jwks: kit.jwks }),
    }),
  });
});

import { Redis } from 'ioredis';
import request from 'supertest';
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

  it('answers /healthz without a token', async () => {
    const response = await request(kit.app).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when PostgreSQL and Redis answer', async () => {
    const response = await request(kit.app).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('answers /readyz 503 naming Redis when Redis is unreachable', async () => {
    // Port 1 is closed; no retries, so the check fails instead of waiting for a reconnect.
    const deadRedis = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    deadRedis.on('error', () => undefined);
    try {
      const app = buildApp({ logger: silentLogger, pool: kit.pool, redis: deadRedis, db: kit.db, queue: kit.queue, jwks: kit.jwks });
      const response = await request(app).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        status: 'unavailable',
        error: 'Not ready: redis unavailable',
        checks: { postgres: 'ok', redis: 'failed' },
      });
    } finally {
      // Already 'end' after the refused connect; disconnect() then would leave a 2 s timer behind.
      if (deadRedis.status !== 'end') deadRedis.disconnect();
    }
  });
});

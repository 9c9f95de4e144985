import { createLogger } from '@neurosphere/http';
import { loadEnv, url } from '@neurosphere/config';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import request from 'supertest';
import { z } from 'zod';
import { buildApp } from './app';

// Real servers only: DATABASE_URL and REDIS_URL must point at a running PostgreSQL and Redis.
const { DATABASE_URL, REDIS_URL } = loadEnv(z.object({ DATABASE_URL: url, REDIS_URL: url }));
const logger = createLogger({ service: 'gateway-test', level: 'silent' });

describe('gateway health', () => {
  let pool: Pool;
  let redis: Redis;

  beforeAll(() => {
    pool = new Pool({ connectionString: DATABASE_URL });
    // lazyConnect: a client no test used never opens a socket, so quit() leaves nothing behind.
    redis = new Redis(REDIS_URL, { lazyConnect: true });
  });
  afterAll(async () => {
    await pool.end();
    await redis.quit();
  });

  it('answers /healthz', async () => {
    const response = await request(buildApp({ logger, pool, redis })).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when PostgreSQL and Redis answer', async () => {
    const response = await request(buildApp({ logger, pool, redis })).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('answers /readyz 503 naming Redis when Redis is unreachable', async () => {
    // Port 1 is closed; no retries, so the check fails instead of waiting for a reconnect.
    const deadRedis = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    deadRedis.on('error', () => undefined);
    try {
      const response = await request(buildApp({ logger, pool, redis: deadRedis })).get('/readyz');
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

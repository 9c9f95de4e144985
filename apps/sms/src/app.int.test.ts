import { Redis } from 'ioredis';
import request from 'supertest';
import { buildApp } from './app';
import { startSmsHarness } from './test-support/sms-harness';
import type { SmsHarness } from './test-support/sms-harness';

describe('sms health', () => {
  let harness: SmsHarness;

  beforeAll(async () => {
    harness = await startSmsHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  it('answers /healthz', async () => {
    const response = await request(harness.app).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when PostgreSQL and Redis answer', async () => {
    const response = await request(harness.app).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('answers /readyz 503 naming Redis when Redis is unreachable', async () => {
    // Port 1 is closed; no retries, so the check fails instead of waiting for a reconnect.
    const deadRedis = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    deadRedis.on('error', () => undefined);
    try {
      const response = await request(buildApp({ ...harness.deps, redis: deadRedis })).get('/readyz');
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

  it('answers unknown routes with 404 in the platform shape', async () => {
    const response = await request(harness.app).get('/v1/nope');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: 'Route GET /v1/nope not found', code: 'NOT_FOUND' });
  });
});

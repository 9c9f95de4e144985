import { Redis } from 'ioredis';
import request from 'supertest';
import { startGatewayHarness } from '../test/gateway-harness';
import type { GatewayHarness } from '../test/gateway-harness';

// Real servers only: DATABASE_URL and REDIS_URL must point at a running PostgreSQL and Redis.
describe('gateway health', () => {
  let harness: GatewayHarness;
  beforeAll(async () => {
    harness = await startGatewayHarness();
  });
  afterAll(() => harness.close());

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
    const deadHarness = await startGatewayHarness({ redis: deadRedis });
    try {
      const response = await request(deadHarness.app).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        status: 'unavailable',
        error: 'Not ready: redis unavailable',
        checks: { postgres: 'ok', redis: 'failed' },
      });
    } finally {
      await deadHarness.close();
    }
  });

  it('answers unknown routes with 404 in the platform error shape', async () => {
    const response = await request(harness.app).get('/twilio/voice');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: 'Route GET /twilio/voice not found', code: 'NOT_FOUND' });
  });
});

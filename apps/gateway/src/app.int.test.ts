import { describeHealthRoutes } from '@neurosphere/testing';
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

  describeHealthRoutes({
    app: () => harness.app,
    appWithRedis: async (redis) => {
      const deadHarness = await startGatewayHarness({ redis });
      return { app: deadHarness.app, close: () => deadHarness.close() };
    },
  });

  it('answers unknown routes with 404 in the platform error shape', async () => {
    const response = await request(harness.app).get('/twilio/voice');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: 'Route GET /twilio/voice not found', code: 'NOT_FOUND' });
  });
});

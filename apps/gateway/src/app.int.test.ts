import { describeHealthRoutes, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { startHarness } from '../test/harness';

// Real servers only: DATABASE_URL and REDIS_URL must point at a running PostgreSQL and Redis.
describe('gateway health', () => {
  const harness = useHarness(startHarness);

  describeHealthRoutes({
    app: () => harness.app,
    appWithRedis: async (redis) => {
      const deadHarness = await startHarness({ redis });
      return { app: deadHarness.app, close: () => deadHarness.close() };
    },
  });

  it('answers unknown routes with 404 in the platform error shape', async () => {
    const response = await request(harness.app).get('/twilio/voice');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: 'Route GET /twilio/voice not found', code: 'NOT_FOUND' });
  });
});

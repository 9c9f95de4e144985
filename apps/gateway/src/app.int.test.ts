import { describeHealthRoutes, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { startHarness } from '../test/harness';

// Real servers only: DATABASE_URL must point at a running PostgreSQL. The gateway keeps nothing in
// Redis, so its readiness does not depend on it.
describe('gateway health', () => {
  const harness = useHarness(startHarness);

  describeHealthRoutes({ app: () => harness.app });

  it('answers unknown routes with 404 in the platform error shape', async () => {
    const response = await request(harness.app).get('/twilio/voice');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: 'Route GET /twilio/voice not found', code: 'NOT_FOUND' });
  });
});

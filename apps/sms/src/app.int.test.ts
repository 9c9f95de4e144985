import { describeHealthRoutes } from '@neurosphere/testing';
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

  describeHealthRoutes({
    app: () => harness.app,
    appWithRedis: (redis) => ({ app: buildApp({ ...harness.deps, redis }) }),
  });

  it('answers unknown routes with 404 in the platform shape', async () => {
    const response = await request(harness.app).get('/v1/nope');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: 'Route GET /v1/nope not found', code: 'NOT_FOUND' });
  });
});

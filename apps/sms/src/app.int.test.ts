import { describeHealthRoutes, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { buildApp } from './app';
import { startHarness } from '../test/harness';

describe('sms health', () => {
  const harness = useHarness(startHarness);

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

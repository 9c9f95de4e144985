import { metricsListener, metricsRegistryOf } from '@neurosphere/http';
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

  it('times requests per route on the metrics listener, not on its own port', async () => {
    await request(harness.app).post('/v1/messages').send({}).expect(401);
    expect((await request(harness.app).get('/metrics')).status).not.toBe(200);
    const text = (await request(metricsListener(metricsRegistryOf(harness.app))).get('/metrics')).text;
    expect(text).toMatch(/http_request_duration_seconds_count\{method="POST",route="[^"]+",status_code="401"\} [1-9]/);
  });
});

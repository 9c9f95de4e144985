import { createLogger, metricsListener, metricsRegistryOf } from '@neurosphere/http';
import request from 'supertest';
import { describeHealthRoutes, useHarness } from '@neurosphere/testing';
import { buildApp } from './app';
import { startHarness } from '../test/harness';

// Real servers only: DATABASE_URL, DATABASE_PLATFORM_URL and REDIS_URL must point at a running PostgreSQL and Redis.
describe('admin-api health', () => {
  const harness = useHarness(startHarness);

  describeHealthRoutes({
    app: () => harness.app,
    appWithRedis: (redis) => ({
      app: buildApp({ ...harness.appDeps, logger: createLogger({ service: 'admin-api-test', level: 'silent' }), redis }),
    }),
  });

  it('serves its counters and per-route latency on the metrics listener, not on its own port', async () => {
    expect((await request(harness.app).get('/metrics')).status).toBe(404);
    const text = (await request(metricsListener(metricsRegistryOf(harness.app))).get('/metrics')).text;
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} [1-9]/);
    expect(text).toContain('# TYPE admin_login_throttled_total counter');
  });
});

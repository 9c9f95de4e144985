import express from 'express';
import request from 'supertest';
import { healthRoutes, postgresCheck, redisCheck } from './health';

function buildApp(checks: Parameters<typeof healthRoutes>[0]['checks']) {
  return express().use(healthRoutes({ checks, timeoutMs: 200 }));
}

describe('healthRoutes', () => {
  it('answers /healthz while the process is up, whatever the dependencies', async () => {
    const response = await request(buildApp({ postgres: () => Promise.reject(new Error('down')) })).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when every check passes', async () => {
    const checks = { postgres: postgresCheck({ query: async () => ({}) }), redis: redisCheck({ ping: async () => 'PONG' }) };
    const response = await request(buildApp(checks)).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('answers /readyz 503 naming failing and hanging dependencies', async () => {
    const checks = {
      postgres: async () => undefined,
      redis: () => Promise.reject(new Error('ECONNREFUSED')),
      search: () => new Promise<void>(() => undefined),
    };
    const response = await request(buildApp(checks)).get('/readyz');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({
      status: 'unavailable',
      error: 'Not ready: redis, search unavailable',
      checks: { postgres: 'ok', redis: 'failed', search: 'failed' },
    });
  });
});

/// <reference types="jest" />
// Test-suite helpers run inside jest: its globals (it, expect) are in scope there.
import { Redis } from 'ioredis';
import request from 'supertest';
import type { App } from 'supertest/types';

export interface HealthRoutesSubject {
  /** The app under test, wired to the real PostgreSQL and Redis of the test run. */
  app: () => App;
  /**
   * The same app with `redis` in place of the working client; `close` releases anything it started.
   * Absent for an app that keeps nothing in Redis: its readiness checks PostgreSQL alone.
   */
  appWithRedis?: (redis: Redis) => Promise<{ app: App; close?: () => Promise<void> }> | { app: App; close?: () => Promise<void> };
}

/**
 * A Redis client pointed at a closed port that fails at once: no retries, so a readiness check
 * fails instead of waiting for a reconnect.
 */
export function unreachableRedis(): Redis {
  const redis = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => undefined);
  return redis;
}

/**
 * The liveness/readiness contract every app serves (packages/http healthRoutes), as one set of
 * tests each app runs against itself: /healthz 200, /readyz 200 with both dependencies, and 503
 * naming Redis when Redis is unreachable (or, for an app without Redis, /readyz checking PostgreSQL
 * alone).
 */
export function describeHealthRoutes(subject: HealthRoutesSubject): void {
  it('answers /healthz', async () => {
    const response = await request(subject.app()).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  const { appWithRedis } = subject;
  if (!appWithRedis) {
    it('answers /readyz 200 checking PostgreSQL alone (Redis is not a dependency)', async () => {
      const response = await request(subject.app()).get('/readyz');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok', checks: { postgres: 'ok' } });
    });
    return;
  }

  it('answers /readyz 200 when PostgreSQL and Redis answer', async () => {
    const response = await request(subject.app()).get('/readyz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', checks: { postgres: 'ok', redis: 'ok' } });
  });

  it('answers /readyz 503 naming Redis when Redis is unreachable', async () => {
    const deadRedis = unreachableRedis();
    const { app, close } = await appWithRedis(deadRedis);
    try {
      const response = await request(app).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({
        status: 'unavailable',
        error: 'Not ready: redis unavailable',
        checks: { postgres: 'ok', redis: 'failed' },
      });
    } finally {
      await close?.();
      // Already 'end' after the refused connect; disconnect() then would leave a 2 s timer behind.
      if (deadRedis.status !== 'end') deadRedis.disconnect();
    }
  });
}

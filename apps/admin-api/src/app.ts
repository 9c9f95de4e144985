import { createServiceApp, postgresCheck, redisCheck } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';

export const SERVICE_NAME = 'admin-api';

/** Everything the app talks to, created by main.ts (or by a test, against real servers). */
export interface AppDeps {
  logger: Logger;
  pool: Pool;
  redis: Redis;
}

/** The admin-api service (tenant administration) as an Express app, without listening. */
export function buildApp(deps: AppDeps): Express {
  // Destructure `app` too when adding routes: app.use(...) between here and finish().
  const { finish } = createServiceApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    readinessChecks: { postgres: postgresCheck(deps.pool), redis: redisCheck(deps.redis) },
  });
  return finish();
}

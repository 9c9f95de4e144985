import { adminApiContract } from '@neurosphere/contracts';
import type { Db } from '@neurosphere/db';
import { createServiceApp, mountContract, postgresCheck, redisCheck } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import express from 'express';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { AdminTokens } from './domain/auth/admin-token';
import type { PlatformOperations } from './domain/platform/platform-operations';
import { assertEveryRouteDeclaresAccess, authorizeAdminRoute } from './routes/authorize';
import { adminRoutes } from './routes';

export const SERVICE_NAME = 'admin-api';

/** Everything the app talks to, created by main.ts (or by a test, against real servers). */
export interface AppDeps {
  logger: Logger;
  /** Readiness probe of PostgreSQL. */
  pool: Pool;
  redis: Redis;
  /** Prisma client as neurosphere_app (DATABASE_URL): tenant routes, through withTenant. */
  db: Db;
  /** Prisma client as neurosphere_platform (DATABASE_PLATFORM_URL): login and platform routes, through withPlatform. */
  platformDb: Db;
  /** Signs and verifies admin access tokens (ADMIN_JWT_SECRET). */
  tokens: AdminTokens;
  /** Twilio, PUBLIC_BASE_URL, BYOK_KEYS and provider checks (onboarding, numbers, tenant keys, offboarding). */
  operations: PlatformOperations;
}

/** The admin-api service (tenant administration) as an Express app, without listening. */
export function buildApp(deps: AppDeps): Express {
  assertEveryRouteDeclaresAccess(adminApiContract);
  const { app, finish } = createServiceApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    readinessChecks: { postgres: postgresCheck(deps.pool), redis: redisCheck(deps.redis) },
  });
  const routeDeps = { db: deps.db, platformDb: deps.platformDb, tokens: deps.tokens, operations: deps.operations };
  const router = express.Router();
  mountContract(adminApiContract, adminRoutes(routeDeps), router, { globalMiddleware: [authorizeAdminRoute(deps.tokens)] });
  app.use(router);
  return finish();
}

import { adminApiContract } from '@neurosphere/contracts';
import type { Db } from '@neurosphere/db';
import { createServiceApp, mountContract, postgresCheck, redisCheck } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import express from 'express';
import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { DEFAULT_ALLOWED_CHAT_MODELS } from '@neurosphere/contracts';
import type { OrchestratorClient } from './clients/orchestrator-client';
import type { AdminTokens } from './domain/auth/admin-token';
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
  /** The chat models tenants may choose (OPENAI_ALLOWED_MODELS); default: the platform's default list. */
  allowedModels?: readonly string[];
  /** Speaks voice previews (ORCHESTRATOR_URL); without it previews answer 503. */
  orchestrator?: OrchestratorClient;
}

/** The admin-api service (tenant administration) as an Express app, without listening. */
export function buildApp(deps: AppDeps): Express {
  assertEveryRouteDeclaresAccess(adminApiContract);
  const { app, finish } = createServiceApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    readinessChecks: { postgres: postgresCheck(deps.pool), redis: redisCheck(deps.redis) },
  });
  const routeDeps = {
    db: deps.db,
    platformDb: deps.platformDb,
    tokens: deps.tokens,
    logger: deps.logger,
    allowedModels: deps.allowedModels ?? DEFAULT_ALLOWED_CHAT_MODELS,
    orchestrator: deps.orchestrator,
  };
  const router = express.Router();
  mountContract(adminApiContract, adminRoutes(routeDeps), router, { globalMiddleware: [authorizeAdminRoute(deps.tokens)] });
  app.use(router);
  return finish();
}

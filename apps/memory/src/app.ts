import type { ServiceJwks } from '@neurosphere/auth';
import { memoryApiContract } from '@neurosphere/contracts';
import type { Db } from '@neurosphere/db';
import {
  authenticateService,
  callersOfAnyRoute,
  createServiceApp,
  mountContract,
  postgresCheck,
  redisCheck,
  requireRouteCaller,
} from '@neurosphere/http';
import type { Logger, RedisClient } from '@neurosphere/http';
import { initServer } from '@ts-rest/express';
import type { Queue } from 'bullmq';
import type { Express } from 'express';
import type { Pool } from 'pg';
import { MEMORY_CALLERS } from './routes/allowed-callers';
import type { MemoryCallers } from './routes/allowed-callers';
import { callerRoutes } from './routes/caller-routes';
import { contextRoutes } from './routes/context-routes';
import { memoryRoutes } from './routes/memory-routes';
import { queueRoutes } from './routes/queue-routes';

export const SERVICE_NAME = 'memory';

/** Everything the app talks to, created by main.ts (or by a test, against real servers). */
export interface AppDeps {
  logger: Logger;
  /** node-postgres pool as neurosphere_app: the readiness check and the context read path. */
  pool: Pool;
  redis: RedisClient;
  /** Prisma client as neurosphere_app: every query runs in withTenant. */
  db: Db;
  /** The summarization queue (producer side). */
  queue: Queue;
  /** Public keys of the services allowed to call (SERVICE_JWKS). */
  jwks: ServiceJwks;
  /**
   * Who may call each route; MEMORY_CALLERS (routes/allowed-callers.ts) unless given. Only tests of
   * routes no service calls yet pass another map.
   */
  callers?: MemoryCallers;
}

/**
 * The memory service as an Express app, without listening. Every contract route requires a
 * service JWT from one of the route's callers (MEMORY_CALLERS) whose customer_id equals the
 * customer_id of the request (body or query; missing → 400), checked before the request is
 * validated or a handler runs. Handlers use the token's tenant only.
 */
export function buildApp(deps: AppDeps): Express {
  const callers = deps.callers ?? MEMORY_CALLERS;
  const { app, finish } = createServiceApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    readinessChecks: { postgres: postgresCheck(deps.pool), redis: redisCheck(deps.redis) },
  });
  // Registered after the health routes and before every contract route: nothing below is reachable
  // without a valid token, and unknown paths fail closed (401) too.
  app.use(
    authenticateService({
      audience: SERVICE_NAME,
      allowedIssuers: callersOfAnyRoute(callers),
      jwks: deps.jwks,
      requireCustomerIdInRequest: true,
    }),
  );
  const routeDeps = { db: deps.db, pool: deps.pool, queue: deps.queue };
  const s = initServer();
  mountContract(
    memoryApiContract,
    s.router(memoryApiContract, {
      ...contextRoutes(routeDeps),
      ...callerRoutes(routeDeps),
      ...memoryRoutes(routeDeps),
      ...queueRoutes(routeDeps),
    }),
    app,
    { globalMiddleware: [requireRouteCaller(memoryApiContract, callers)] },
  );
  return finish();
}

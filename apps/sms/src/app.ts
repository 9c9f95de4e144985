import type { ServiceJwks } from '@neurosphere/auth';
import { smsApiContract } from '@neurosphere/contracts';
import type { Db } from '@neurosphere/db';
import { authenticateService, createServiceApp, mountContract, postgresCheck, redisCheck } from '@neurosphere/http';
import type { Logger, RedisClient } from '@neurosphere/http';
import type { Express } from 'express';
import type { Pool } from 'pg';
import type { AiReplyDeps } from './domain/inbound/compose-ai-reply';
import type { SendQueue } from './jobs/send-message-job';
import { requireAllowedCaller } from './routes/require-allowed-caller';
import { smsRouter } from './routes/sms-router';

export const SERVICE_NAME = 'sms';

/** Everything the app talks to, created by main.ts (or by a test, against real servers). */
export interface AppDeps {
  logger: Logger;
  /** Readiness probe of PostgreSQL. */
  pool: Pool;
  /** Rate limits (and readiness). */
  redis: RedisClient;
  /** Prisma client as neurosphere_app: every query runs inside withTenant. */
  db: Db;
  /** SERVICE_JWKS: verifies callers' service tokens. */
  jwks: ServiceJwks;
  sendQueue: SendQueue;
  /** AI replies to inbound texts (OpenAI and memory are optional). */
  ai: Omit<AiReplyDeps, 'logger'>;
  /** Namespace of this service's Redis keys (tests pass their own). Default "sms". */
  redisKeyPrefix?: string;
}

/** The sms service (SMS) as an Express app, without listening. */
export function buildApp(deps: AppDeps): Express {
  const { app, finish } = createServiceApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    readinessChecks: { postgres: postgresCheck(deps.pool), redis: redisCheck(deps.redis) },
  });
  mountContract(
    smsApiContract,
    smsRouter({
      db: deps.db,
      redis: deps.redis,
      sendQueue: deps.sendQueue,
      logger: deps.logger,
      rateLimitKeyPrefix: deps.redisKeyPrefix ?? SERVICE_NAME,
      ai: { ...deps.ai, logger: deps.logger },
    }),
    app,
    {
      globalMiddleware: [
        authenticateService({ audience: SERVICE_NAME, allowedIssuers: ['gateway', 'orchestrator', 'admin-api'], jwks: deps.jwks }),
        requireAllowedCaller,
      ],
    },
  );
  return finish();
}

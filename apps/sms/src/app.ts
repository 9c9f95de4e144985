import type { ServiceJwks } from '@neurosphere/auth';
import { smsApiContract } from '@neurosphere/contracts';
import type { Db, Keyring } from '@neurosphere/db';
import {
  authenticateService,
  callersOfAnyRoute,
  createServiceApp,
  mountContract,
  postgresCheck,
  redisCheck,
  requireRouteCaller,
} from '@neurosphere/http';
import type { Logger, RedisClient, Registry } from '@neurosphere/http';
import type { Express } from 'express';
import type { Pool } from 'pg';
import type { AiReplyDeps } from './domain/inbound/compose-ai-reply';
import type { SendQueue } from './jobs/send-message-job';
import { SMS_CALLERS } from './routes/allowed-callers';
import type { SmsCallers } from './routes/allowed-callers';
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
  /** BYOK_KEYS: decrypts tenants' own OpenAI keys for AI replies. */
  byokKeyring: Keyring | undefined;
  /** Where the request latency histogram goes (main.ts also records the send worker there); a fresh registry unless given. */
  metricsRegistry?: Registry;
  /** Namespace of this service's Redis keys (tests pass their own). Default "sms". */
  redisKeyPrefix?: string;
  /**
   * Who may call each route; SMS_CALLERS (routes/allowed-callers.ts) unless given. Only tests of
   * routes no service calls yet pass another map.
   */
  callers?: SmsCallers;
}

/** The sms service (SMS) as an Express app, without listening. */
export function buildApp(deps: AppDeps): Express {
  const callers = deps.callers ?? SMS_CALLERS;
  const { app, finish } = createServiceApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    readinessChecks: { postgres: postgresCheck(deps.pool), redis: redisCheck(deps.redis) },
    ...(deps.metricsRegistry ? { metricsRegistry: deps.metricsRegistry } : {}),
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
      byokKeyring: deps.byokKeyring,
    }),
    app,
    {
      globalMiddleware: [
        authenticateService({ audience: SERVICE_NAME, allowedIssuers: callersOfAnyRoute(callers), jwks: deps.jwks }),
        requireRouteCaller(smsApiContract, callers),
      ],
    },
  );
  return finish();
}

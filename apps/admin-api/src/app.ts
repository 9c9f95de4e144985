import { adminApiContract, DEFAULT_ALLOWED_CHAT_MODELS } from '@neurosphere/contracts';
import type { Db } from '@neurosphere/db';
import { createServiceApp, mountContract, postgresCheck, redisCheck } from '@neurosphere/http';
import type { Logger, RedisClient } from '@neurosphere/http';
import type { Mailer } from '@neurosphere/mail';
import cookieParser from 'cookie-parser';
import express from 'express';
import type { Queue } from 'bullmq';
import type { Express } from 'express';
import type { Pool } from 'pg';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { OrchestratorClient } from './clients/orchestrator-client';
import { authenticateApiKey } from './domain/api-keys/authenticate-api-key';
import type { AdminTokens } from './domain/auth/admin-token';
import type { PlatformOperations } from './domain/platform/platform-operations';
import type { AuthSettings } from './domain/auth/auth-settings';
import { createLoginThrottle } from './domain/auth/login-throttle';
import { createSessionRevocations } from './domain/sessions/session-revocations';
import { createSupportAccess } from './domain/support/support-access';
import type { CallerErasure } from './clients/memory-client';
import type { NotificationsQueue } from './jobs/notifications-queue';
import type { WebhookDestinationPolicy } from './domain/notifications/webhook-destination';
import { createAdminApiMetrics } from './metrics';
import type { AdminApiMetrics } from './metrics';
import { apiDocsRoutes } from './routes/api-docs';
import { assertEveryRouteDeclaresAccess, authorizeAdminRoute, requirePlatformAdmin } from './routes/authorize';
import type { TenantAccessExtension } from './routes/authorize';
import { queueViewRoutes } from './routes/queue-view';
import { createSessionCookies } from './routes/session-cookies';
import { adminRoutes } from './routes';

export const SERVICE_NAME = 'admin-api';

/** Password-reset mails per email address per hour. */
const RESET_MAILS_PER_HOUR = 3;

/** Everything the app talks to, created by main.ts (or by a test, against real servers). */
export interface AppDeps {
  logger: Logger;
  /** Readiness probe of PostgreSQL. */
  pool: Pool;
  /** Login throttling, ended sessions, reset-mail limits. */
  redis: RedisClient;
  /** Prisma client as neurosphere_app (DATABASE_URL): tenant routes, through withTenant. */
  db: Db;
  /** Prisma client as neurosphere_platform (DATABASE_PLATFORM_URL): login, sessions, team and platform routes, through withPlatform. */
  platformDb: Db;
  /** Signs and verifies admin access tokens (ADMIN_JWT_SECRET). */
  tokens: AdminTokens;
  /** Twilio, PUBLIC_BASE_URL, BYOK_KEYS and provider checks (onboarding, numbers, tenant keys, offboarding). */
  operations: PlatformOperations;
  /** The chat models tenants may choose (OPENAI_ALLOWED_MODELS); default: the platform's default list. */
  allowedModels?: readonly string[];
  /** Speaks voice previews (ORCHESTRATOR_URL); without it previews answer 503. */
  orchestrator?: OrchestratorClient;
  /** ADMIN_JWT_SECRET again: the CSRF tokens' key is derived from it. */
  csrfSecret: string;
  /** Counts its own failures into `metrics.mailFailed` (createMailer `onFailure`, main.ts): the notifications worker sends with it too. */
  mailer: Mailer;
  settings: AuthSettings;
  /** Proxies whose X-Forwarded-For is believed (ADMIN_TRUST_PROXY_HOPS). */
  trustProxyHops?: number;
  metrics?: AdminApiMetrics;
  /** The BullMQ queues platform admins see in the queue view (Bull Board, /v1/platform/queues); no view when absent. */
  operatorQueues?: readonly Queue[];
  /** Who may use a tenant's routes without a membership; default: platform admins in an open support session (domain/support/support-access.ts). */
  tenantAccess?: TenantAccessExtension;
  /** The notifications queue (replays); main.ts runs its worker and the event dispatcher beside the app. */
  notifications?: Pick<NotificationsQueue, 'enqueueDelivery'>;
  /** Where tenants' webhooks may point; public addresses only unless told otherwise. */
  webhookDestinations?: WebhookDestinationPolicy;
  /** The memory service: caller erasure goes through it (MEMORY_URL). */
  memory?: CallerErasure;
}

/** The admin-api service (tenant administration) as an Express app, without listening. */
export function buildApp(deps: AppDeps): Express {
  assertEveryRouteDeclaresAccess(adminApiContract);
  const metrics = deps.metrics ?? createAdminApiMetrics();
  const { app, finish } = createServiceApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    readinessChecks: { postgres: postgresCheck(deps.pool), redis: redisCheck(deps.redis) },
    // Served on METRICS_PORT (main.ts), never on this port: the console reaches it from the internet.
    metricsRegistry: metrics.registry,
  });
  // req.ip is the client's address for login throttling and audit rows; behind N proxies, believe N hops of X-Forwarded-For.
  app.set('trust proxy', deps.trustProxyHops ?? 0);
  app.use(cookieParser());

  const revocations = createSessionRevocations(deps.redis);
  const cookies = createSessionCookies({
    jwtSecret: deps.csrfSecret,
    secure: deps.settings.secureCookies,
    allowedOrigins: deps.settings.allowedOrigins,
  });
  const keyPrefix = deps.settings.loginThrottle.keyPrefix ?? 'admin-login';
  const routeDeps = {
    db: deps.db,
    platformDb: deps.platformDb,
    tokens: deps.tokens,
    sessions: { platformDb: deps.platformDb, tokens: deps.tokens, revocations, settings: deps.settings },
    throttle: createLoginThrottle(deps.redis, deps.settings.loginThrottle),
    cookies,
    mailer: deps.mailer,
    resetMailLimiter: new RateLimiterRedis({
      storeClient: deps.redis,
      keyPrefix: `${keyPrefix}:reset-mail`,
      points: RESET_MAILS_PER_HOUR,
      duration: 3600,
    }),
    settings: deps.settings,
    metrics,
    logger: deps.logger,
    operations: deps.operations,
    allowedModels: deps.allowedModels ?? DEFAULT_ALLOWED_CHAT_MODELS,
    orchestrator: deps.orchestrator,
    notifications: deps.notifications,
    memory: deps.memory,
    webhookDestinations: deps.webhookDestinations ?? { allowPrivateAddresses: false },
  };

  app.use(apiDocsRoutes());
  const router = express.Router();
  const authorize = authorizeAdminRoute({
    tokens: deps.tokens,
    revocations,
    cookies,
    authenticateApiKey: (token) => authenticateApiKey({ db: deps.db, token }),
    tenantAccess: deps.tenantAccess ?? createSupportAccess({ db: deps.db, platformDb: deps.platformDb }),
  });
  mountContract(adminApiContract, adminRoutes(routeDeps), router, { globalMiddleware: [authorize] });
  app.use(router);
  if (deps.operatorQueues) {
    const requireAdmin = requirePlatformAdmin({
      tokens: deps.tokens,
      revocations,
      cookies,
      authenticateApiKey: (token) => authenticateApiKey({ db: deps.db, token }),
    });
    app.use(queueViewRoutes({ queues: deps.operatorQueues, requirePlatformAdmin: requireAdmin }));
  }
  return finish();
}

import type { Db, Keyring } from '@neurosphere/db';
import { createServiceApp, maskPhone, postgresCheck } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import type { Express } from 'express';
import type { Pool } from 'pg';
import type { OrchestratorClient } from './clients/orchestrator-client';
import type { RelayClient } from './clients/relay-client';
import type { SmsClient } from './clients/sms-client';
import { createNumberDirectory } from './domain/tenant/number-directory';
import { resolveNumberOwner } from './domain/tenant/resolve-number-owner';
import { createGatewayMetrics } from './metrics';
import type { GatewayMetrics } from './metrics';
import { audioRoutes } from './routes/audio';
import { callWebhookRoutes } from './routes/call-webhooks';
import { createRelaySocketServer } from './relay/relay-socket-server';
import type { RelaySocketServer } from './relay/relay-socket-server';
import type { RelayLimits } from './relay/relay-session';
import { relayWebhookRoutes } from './routes/relay-webhooks';
import type { RouteDeps } from './routes/route-deps';
import { smsWebhookRoutes } from './routes/sms-webhooks';

export const SERVICE_NAME = 'gateway';

/** Everything the app talks to, created by main.ts (or by a test, against real servers). */
export interface AppDeps {
  logger: Logger;
  /** For /readyz. */
  pool: Pool;
  /** Prisma client of the app role (DATABASE_URL): number lookup and the tenant's own rows. */
  db: Db;
  /** Decrypts BYOK tenants' Twilio tokens; undefined without BYOK_KEYS. */
  keyring: Keyring | undefined;
  orchestrator: OrchestratorClient;
  /** The orchestrator's relay (streaming) routes. */
  relay: RelayClient;
  sms: SmsClient;
  /** Defaults to a fresh registry per app. */
  metrics?: GatewayMetrics;
  config: {
    /** PUBLIC_BASE_URL without a trailing slash. */
    publicBaseUrl: string;
    /** TWILIO_AUTH_TOKEN of the platform account. */
    twilioAuthToken: string;
    tenantCacheTtlMs: number;
    tenantLookupTimeoutMs: number;
    /** Limits of each ConversationRelay socket. */
    relayLimits: RelayLimits;
  };
}

/** The gateway service (Twilio webhooks and the public edge) as an Express app, without listening. */
export function buildApp(deps: AppDeps): Express {
  return buildGateway(deps).app;
}

/**
 * The gateway: the Express app, and the ConversationRelay WebSocket endpoint, which main.ts (or
 * a test) attaches to the HTTP server the app listens on. Both share one number directory.
 */
export function buildGateway(deps: AppDeps): { app: Express; relaySockets: RelaySocketServer } {
  const metrics = deps.metrics ?? createGatewayMetrics();
  const { app, finish } = createServiceApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    // PostgreSQL only: the gateway keeps nothing in Redis, so Redis being down must not take the
    // public edge out of rotation (calls still get their polite fallbacks).
    readinessChecks: { postgres: postgresCheck(deps.pool) },
    // Twilio posts its webhooks form-encoded.
    formBodies: true,
    // Served on METRICS_PORT only: this app's port is the public edge (main.ts).
    metricsRegistry: metrics.registry,
  });
  const routeDeps: RouteDeps = {
    logger: deps.logger,
    publicBaseUrl: deps.config.publicBaseUrl,
    platformAuthToken: deps.config.twilioAuthToken,
    numbers: createNumberDirectory({
      lookup: (e164) => resolveNumberOwner({ db: deps.db, e164, platformAuthToken: deps.config.twilioAuthToken, keyring: deps.keyring }),
      cacheTtlMs: deps.config.tenantCacheTtlMs,
      lookupTimeoutMs: deps.config.tenantLookupTimeoutMs,
      onRefreshFailed: (e164, error) => {
        metrics.tenantLookupFailed.inc({ route: 'refresh', reason: 'error' });
        deps.logger.warn(
          { event: 'degraded', dependency: 'postgres', number: maskPhone(e164), err: error },
          'number refresh failed; the owner read before stays in use',
        );
      },
    }),
    orchestrator: deps.orchestrator,
    relay: deps.relay,
    sms: deps.sms,
    metrics,
  };
  app.use(callWebhookRoutes(routeDeps));
  app.use(relayWebhookRoutes(routeDeps));
  app.use(smsWebhookRoutes(routeDeps));
  app.use(audioRoutes(routeDeps));
  const relaySockets = createRelaySocketServer({
    logger: deps.logger,
    publicBaseUrl: routeDeps.publicBaseUrl,
    platformAuthToken: routeDeps.platformAuthToken,
    numbers: routeDeps.numbers,
    relay: deps.relay,
    orchestrator: deps.orchestrator,
    metrics,
    limits: deps.config.relayLimits,
  });
  return { app: finish(), relaySockets };
}

import type { Db } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import type { OrchestratorClient } from '../clients/orchestrator-client';
import type { Mailer } from '@neurosphere/mail';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AdminTokens } from '../domain/auth/admin-token';
import type { AuthSettings } from '../domain/auth/auth-settings';
import type { LoginThrottle } from '../domain/auth/login-throttle';
import type { SessionDeps } from '../domain/sessions/session-types';
import type { CallerErasure } from '../clients/memory-client';
import type { NotificationsQueue } from '../jobs/notifications-queue';
import type { WebhookDestinationPolicy } from '../domain/notifications/webhook-destination';
import type { AdminApiMetrics } from '../metrics';
import type { SessionCookies } from './session-cookies';

/** What the route handlers need. */
export interface RouteDeps {
  /** App role (DATABASE_URL): tenant routes, always through withTenant. */
  db: Db;
  /** Platform role (DATABASE_PLATFORM_URL): login, sessions, team and platform routes, always through withPlatform. */
  platformDb: Db;
  tokens: AdminTokens;
  sessions: SessionDeps;
  throttle: LoginThrottle;
  cookies: SessionCookies;
  mailer: Mailer;
  /** Password-reset mails per email address (3 an hour). */
  resetMailLimiter: RateLimiterAbstract;
  settings: AuthSettings;
  metrics: AdminApiMetrics;
  logger: Logger;
  /** The chat models the platform allows tenants to choose. */
  allowedModels: readonly string[];
  /** Speaks voice previews; undefined when the deployment has no ORCHESTRATOR_URL. */
  orchestrator: OrchestratorClient | undefined;
  /** The notifications queue (manual replay of deliveries); absent where notifications do not run. */
  notifications?: Pick<NotificationsQueue, 'enqueueDelivery'>;
  /** The memory service (caller erasure); absent when MEMORY_URL is not set. */
  memory?: CallerErasure;
  /** Where tenants' webhooks may point (WEBHOOK_ALLOW_PRIVATE_ADDRESSES). */
  webhookDestinations: WebhookDestinationPolicy;
}

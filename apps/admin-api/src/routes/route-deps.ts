import type { Db } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import type { OrchestratorClient } from '../clients/orchestrator-client';
import type { AdminTokens } from '../domain/auth/admin-token';

/** What the route handlers need. */
export interface RouteDeps {
  /** App role (DATABASE_URL): tenant routes, always through withTenant. */
  db: Db;
  /** Platform role (DATABASE_PLATFORM_URL): login and platform routes, always through withPlatform. */
  platformDb: Db;
  tokens: AdminTokens;
  logger: Logger;
  /** The chat models the platform allows tenants to choose. */
  allowedModels: readonly string[];
  /** Speaks voice previews; undefined when the deployment has no ORCHESTRATOR_URL. */
  orchestrator: OrchestratorClient | undefined;
}

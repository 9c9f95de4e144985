import type { Db } from '@neurosphere/db';
import type { AdminTokens } from '../domain/auth/admin-token';
import type { PlatformOperations } from '../domain/platform/platform-operations';

/** What the route handlers need. */
export interface RouteDeps {
  /** App role (DATABASE_URL): tenant routes, always through withTenant. */
  db: Db;
  /** Platform role (DATABASE_PLATFORM_URL): login and platform routes, always through withPlatform. */
  platformDb: Db;
  tokens: AdminTokens;
  /** Twilio, the public base URL, the keyring and provider checks: for the platform's operations. */
  operations: PlatformOperations;
}

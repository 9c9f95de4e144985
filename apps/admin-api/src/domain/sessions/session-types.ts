import type { AdminPrincipal, SessionTransport } from '@neurosphere/contracts';
import type { Db } from '@neurosphere/db';
import type { AdminTokens } from '../auth/admin-token';
import type { AuthSettings } from '../auth/auth-settings';
import type { SessionRevocations } from './session-revocations';

/** What opening, refreshing and ending sessions needs. */
export interface SessionDeps {
  /** admin_users, memberships and admin_sessions are platform tables: everything here runs through withPlatform. */
  platformDb: Db;
  tokens: AdminTokens;
  revocations: SessionRevocations;
  settings: Pick<AuthSettings, 'sessionIdleTimeoutSeconds' | 'sessionMaxAgeSeconds'>;
}

/** A session's credentials as login and refresh hand them out (the route decides: body or cookies). */
export interface IssuedSession {
  sessionId: string;
  transport: SessionTransport;
  accessToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  refreshToken: string;
  /** Seconds the refresh token lives if unused. */
  refreshExpiresIn: number;
  user: AdminPrincipal;
}

/** Why a session ended (admin_sessions.revoked_reason). */
export type SessionEndReason = 'logout' | 'logout_all' | 'password_changed' | 'password_reset' | 'refresh_token_reused';

/** The principal of an admin user row with its memberships: read at login and at every refresh. */
export function toPrincipal(user: {
  id: string;
  email: string;
  isPlatformAdmin: boolean;
  memberships: { customerId: number; role: AdminPrincipal['memberships'][number]['role'] }[];
}): AdminPrincipal {
  return {
    id: user.id,
    email: user.email,
    is_platform_admin: user.isPlatformAdmin,
    memberships: user.memberships.map((membership) => ({ customer_id: membership.customerId, role: membership.role })),
  };
}

/** What to read of an admin user to build its principal. */
export const principalSelect = {
  id: true,
  email: true,
  isPlatformAdmin: true,
  memberships: { select: { customerId: true, role: true }, orderBy: { customerId: 'asc' } },
} as const;

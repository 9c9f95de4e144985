import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { AdminPrincipal } from '@neurosphere/contracts';
import { ADMIN_TOKEN_TTL_SECONDS } from './admin-token';
import type { AdminTokens } from './admin-token';
import { verifyPassword } from './password-hash';
import { adminActor } from '../shared/actor';

export interface LoginAdminOptions {
  /** Client connected as neurosphere_platform: admin_users is out of the app role's reach. */
  platformDb: Db;
  tokens: AdminTokens;
  /** Lower-cased by the contract. */
  email: string;
  password: string;
}

export interface AdminSession {
  accessToken: string;
  expiresIn: number;
  user: AdminPrincipal;
}

/**
 * Checks an admin's password and issues an access token, or returns null (unknown email, no
 * password set, wrong password: the caller cannot tell which). Login is a cross-tenant lookup, so
 * it runs through withPlatform and leaves two platform audit rows: the lookup, then the outcome.
 */
export async function loginAdmin(options: LoginAdminOptions): Promise<AdminSession | null> {
  const { platformDb, email } = options;
  const user = await withPlatform(platformDb, { actor: 'anonymous', action: 'admin.login.lookup', details: { email } }, (tx) =>
    tx.adminUser.findUnique({
      where: { email },
      include: { memberships: { select: { customerId: true, role: true }, orderBy: { customerId: 'asc' } } },
    }),
  );
  const passwordMatches = await verifyPassword(user?.passwordHash ?? null, options.password);
  const succeeded = user !== null && passwordMatches;

  await withPlatform(
    platformDb,
    {
      actor: user ? adminActor(user.id) : 'anonymous',
      action: succeeded ? 'admin.login.succeeded' : 'admin.login.failed',
      details: { email },
    },
    async (tx) => {
      if (succeeded) await tx.adminUser.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    },
  );
  if (!succeeded) return null;

  const principal: AdminPrincipal = {
    id: user.id,
    email: user.email,
    is_platform_admin: user.isPlatformAdmin,
    memberships: user.memberships.map((membership) => ({ customer_id: membership.customerId, role: membership.role })),
  };
  return { accessToken: await options.tokens.sign(principal), expiresIn: ADMIN_TOKEN_TTL_SECONDS, user: principal };
}

import type { SessionTransport } from '@neurosphere/contracts';
import { withPlatform } from '@neurosphere/db';
import { openSession } from '../sessions/open-session';
import type { IssuedSession, SessionDeps } from '../sessions/session-types';
import { adminActor } from '../shared/actor';
import type { LoginThrottle, ThrottleVerdict } from './login-throttle';
import { verifyPassword } from './password-hash';

export interface LoginAdminOptions {
  /** Lower-cased by the contract. */
  email: string;
  password: string;
  transport: SessionTransport;
  /** The client's address (req.ip), for the per-address limit and the audit row. */
  address: string;
}

export type LoginResult =
  | { outcome: 'signed_in'; session: IssuedSession }
  /** Unknown email, no password set, wrong password: the caller cannot tell which. */
  | { outcome: 'refused' }
  /** Locked: too many failures for this account or from this address. */
  | { outcome: 'throttled'; verdict: ThrottleVerdict };

/**
 * Checks an admin's password and opens a session. Throttled first (a locked account or address is
 * refused before the password is even looked at, so the right password does not get through
 * either). Login is a cross-tenant lookup, so it runs through withPlatform and leaves platform
 * audit rows: the lookup, then the outcome (never the password). An unknown email costs the same
 * argon2 verification as a wrong password.
 */
export async function loginAdmin(deps: SessionDeps & { throttle: LoginThrottle }, options: LoginAdminOptions): Promise<LoginResult> {
  const { platformDb, throttle } = deps;
  const { email, address } = options;

  const lockout = await throttle.begin({ email, address });
  if (lockout) {
    await withPlatform(
      platformDb,
      { actor: 'anonymous', action: 'admin.login.throttled', details: { email, address, limit: lockout.scope } },
      async () => undefined,
    );
    return { outcome: 'throttled', verdict: lockout };
  }

  const user = await withPlatform(platformDb, { actor: 'anonymous', action: 'admin.login.lookup', details: { email } }, (tx) =>
    tx.adminUser.findUnique({ where: { email }, select: { id: true, passwordHash: true } }),
  );
  const passwordMatches = await verifyPassword(user?.passwordHash ?? null, options.password);

  if (user === null || !passwordMatches) {
    const started = await throttle.recordFailure({ email, address });
    await withPlatform(
      platformDb,
      {
        actor: user ? adminActor(user.id) : 'anonymous',
        action: 'admin.login.failed',
        details: { email, address, ...(started ? { locked: started.scope, lockout_seconds: started.retryAfterSeconds } : {}) },
      },
      async () => undefined,
    );
    return { outcome: 'refused' };
  }

  await throttle.recordSuccess({ email, address });
  const session = await withPlatform(
    platformDb,
    { actor: adminActor(user.id), action: 'admin.login.succeeded', details: { email, address, transport: options.transport } },
    async (tx) => {
      await tx.adminUser.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
      return openSession(tx, deps, { adminUserId: user.id, transport: options.transport });
    },
  );
  return { outcome: 'signed_in', session };
}

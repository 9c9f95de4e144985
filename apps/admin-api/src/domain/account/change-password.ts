import { validationError } from '@neurosphere/http';
import { withPlatform } from '@neurosphere/db';
import type { LoginThrottle } from '../auth/login-throttle';
import { hashPassword, verifyPassword } from '../auth/password-hash';
import { endSessions } from '../sessions/end-sessions';
import type { SessionDeps } from '../sessions/session-types';
import { adminActor } from '../shared/actor';

export interface ChangePasswordOptions {
  adminUserId: string;
  /** The session the change is made from: it stays open, every other one ends. */
  sessionId: string;
  currentPassword: string;
  newPassword: string;
  /** For the failure counter: a wrong current password counts like a failed login of the account. */
  address: string;
}

export type ChangePasswordResult = { outcome: 'changed'; otherSessionsEnded: number } | { outcome: 'throttled'; retryAfterSeconds: number };

/**
 * Changes a signed-in admin's password. The current password is required (a stolen session alone
 * cannot take the account over) and wrong guesses count towards the account's login lockout.
 * Every other session of the user ends; all of it is audited (never a password).
 */
export async function changePassword(
  deps: SessionDeps & { throttle: LoginThrottle },
  options: ChangePasswordOptions,
): Promise<ChangePasswordResult> {
  const actor = adminActor(options.adminUserId);
  const user = await withPlatform(deps.platformDb, { actor, action: 'admin.password.change.lookup' }, (tx) =>
    tx.adminUser.findUniqueOrThrow({ where: { id: options.adminUserId }, select: { email: true, passwordHash: true } }),
  );
  const attempt = { email: user.email, address: options.address };
  const lockout = await deps.throttle.begin(attempt);
  if (lockout) return { outcome: 'throttled', retryAfterSeconds: lockout.retryAfterSeconds };
  if (!(await verifyPassword(user.passwordHash, options.currentPassword))) {
    await deps.throttle.recordFailure(attempt);
    await withPlatform(
      deps.platformDb,
      { actor, action: 'admin.password.change_refused', details: { email: user.email } },
      async () => undefined,
    );
    throw validationError([{ path: 'body.current_password', message: 'current_password is not your current password' }]);
  }
  await deps.throttle.recordSuccess(attempt);

  const passwordHash = await hashPassword(options.newPassword);
  await withPlatform(deps.platformDb, { actor, action: 'admin.password.changed', details: { email: user.email } }, (tx) =>
    tx.adminUser.update({ where: { id: options.adminUserId }, data: { passwordHash } }),
  );
  const otherSessionsEnded = await endSessions(deps, {
    actor,
    action: 'admin.sessions.end',
    adminUserId: options.adminUserId,
    sessionIds: { all: true, except: options.sessionId },
    reason: 'password_changed',
  });
  return { outcome: 'changed', otherSessionsEnded };
}

import { validationError } from '@neurosphere/http';
import { withPlatform } from '@neurosphere/db';
import type { LoginThrottle } from '../auth/login-throttle';
import { hashPassword } from '../auth/password-hash';
import { endSessions } from '../sessions/end-sessions';
import type { SessionDeps } from '../sessions/session-types';
import { adminActor } from '../shared/actor';
import { hexToUuid, parseToken, secretMatches } from '../shared/secret-token';

const UNUSABLE = 'This reset link is invalid, was already used or has expired: ask for a new one';

/**
 * Sets a new password with a reset token (once, before it expires). Every session of the account
 * ends, and its login lockout is lifted: whoever holds the link controls the mailbox. Audited.
 */
export async function confirmPasswordReset(
  deps: SessionDeps & { throttle: LoginThrottle },
  options: { token: string; password: string },
): Promise<void> {
  const parsed = parseToken('nsp', options.token);
  const resetId = parsed ? hexToUuid(parsed.publicPart) : null;
  if (!parsed || !resetId) throw validationError([{ path: 'body.token', message: UNUSABLE }]);
  const passwordHash = await hashPassword(options.password);

  const user = await withPlatform(
    deps.platformDb,
    { actor: 'anonymous', action: 'admin.password_reset.confirm', details: { reset_id: resetId } },
    async (tx) => {
      const reset = await tx.adminPasswordReset.findUnique({
        where: { id: resetId },
        include: { adminUser: { select: { id: true, email: true } } },
      });
      if (!reset || !secretMatches(parsed.secret, reset.secretHash) || reset.usedAt || reset.expiresAt <= new Date()) {
        throw validationError([{ path: 'body.token', message: UNUSABLE }]);
      }
      // Conditional: of two concurrent uses of one link, one wins.
      const claimed = await tx.adminPasswordReset.updateMany({ where: { id: resetId, usedAt: null }, data: { usedAt: new Date() } });
      if (claimed.count !== 1) throw validationError([{ path: 'body.token', message: UNUSABLE }]);
      await tx.adminUser.update({ where: { id: reset.adminUserId }, data: { passwordHash } });
      return reset.adminUser;
    },
  );

  await deps.throttle.recordSuccess({ email: user.email });
  await endSessions(deps, {
    actor: adminActor(user.id),
    action: 'admin.sessions.end',
    adminUserId: user.id,
    sessionIds: { all: true },
    reason: 'password_reset',
  });
}

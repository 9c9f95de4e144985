import type { TenantTx } from '@neurosphere/db';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { validationError } from '@neurosphere/http';
import { hashPassword } from '../auth/password-hash';
import { formatToken, hexToUuid, newSecret, parseToken, secretMatches, uuidToHex } from '../shared/one-time-token';

/** How long a set-password link of a new platform admin stays usable. */
export const PASSWORD_SETUP_TTL_SECONDS = 24 * 3600;

const UNUSABLE = 'This link is invalid, was already used or has expired: ask for a new one';

/**
 * A one-time token that sets an admin user's password (nsp_<id>_<secret>), in the caller's
 * transaction: an admin_password_resets row holding only the secret's hash, expiring. Earlier
 * unused tokens of the user stop working.
 */
export async function issuePasswordSetupToken(tx: TenantTx, options: { adminUserId: string; ttlSeconds?: number }): Promise<{ token: string; expiresAt: Date }> {
  const { secret, secretHash } = newSecret();
  const expiresAt = new Date(Date.now() + (options.ttlSeconds ?? PASSWORD_SETUP_TTL_SECONDS) * 1000);
  await tx.adminPasswordReset.updateMany({ where: { adminUserId: options.adminUserId, usedAt: null }, data: { usedAt: new Date() } });
  const reset = await tx.adminPasswordReset.create({ data: { adminUserId: options.adminUserId, secretHash, expiresAt }, select: { id: true } });
  return { token: formatToken('nsp', uuidToHex(reset.id), secret), expiresAt };
}

/** Sets the password with a token (once, before it expires); audited. A bad token is one 400, whatever is wrong with it. */
export async function setPasswordWithToken(options: { platformDb: Db; token: string; password: string }): Promise<{ email: string }> {
  const parsed = parseToken('nsp', options.token);
  const resetId = parsed ? hexToUuid(parsed.publicPart) : null;
  if (!parsed || !resetId) throw validationError([{ path: 'body.token', message: UNUSABLE }]);
  const passwordHash = await hashPassword(options.password);
  return withPlatform(options.platformDb, { actor: 'anonymous', action: 'admin.password_reset.confirm', details: { reset_id: resetId } }, async (tx) => {
    const reset = await tx.adminPasswordReset.findUnique({ where: { id: resetId }, include: { adminUser: { select: { email: true } } } });
    if (!reset || !secretMatches(parsed.secret, reset.secretHash) || reset.usedAt || reset.expiresAt <= new Date()) {
      throw validationError([{ path: 'body.token', message: UNUSABLE }]);
    }
    // Conditional: of two concurrent uses of one link, one wins.
    const claimed = await tx.adminPasswordReset.updateMany({ where: { id: resetId, usedAt: null }, data: { usedAt: new Date() } });
    if (claimed.count !== 1) throw validationError([{ path: 'body.token', message: UNUSABLE }]);
    await tx.adminUser.update({ where: { id: reset.adminUserId }, data: { passwordHash } });
    return { email: reset.adminUser.email };
  });
}

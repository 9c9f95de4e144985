import type { TenantTx } from '@neurosphere/db';
import { formatToken, newSecret, uuidToHex } from '../shared/secret-token';

/** How long a set-password link of a new platform admin stays usable. */
export const PASSWORD_SETUP_TTL_SECONDS = 24 * 3600;

/**
 * A one-time token that sets an admin user's password (nsp_<id>_<secret>), in the caller's
 * transaction: an admin_password_resets row holding only the secret's hash, expiring. Earlier
 * unused tokens of the user stop working. It is used like a reset link: POST
 * /v1/auth/password-reset/confirm (confirmPasswordReset).
 */
export async function issuePasswordSetupToken(
  tx: TenantTx,
  options: { adminUserId: string; ttlSeconds?: number },
): Promise<{ token: string; expiresAt: Date }> {
  const { secret, secretHash } = newSecret();
  const expiresAt = new Date(Date.now() + (options.ttlSeconds ?? PASSWORD_SETUP_TTL_SECONDS) * 1000);
  await tx.adminPasswordReset.updateMany({ where: { adminUserId: options.adminUserId, usedAt: null }, data: { usedAt: new Date() } });
  const reset = await tx.adminPasswordReset.create({
    data: { adminUserId: options.adminUserId, secretHash, expiresAt },
    select: { id: true },
  });
  return { token: formatToken('nsp', uuidToHex(reset.id), secret), expiresAt };
}

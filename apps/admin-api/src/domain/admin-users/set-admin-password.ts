import { adminPasswordSchema } from '@neurosphere/contracts';
import { AppError, validationError, zodIssuesToDetails } from '@neurosphere/http';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { hashPassword } from '../auth/password-hash';

export interface SetAdminPasswordOptions {
  platformDb: Db;
  /** Who sets it, for the platform audit log (e.g. "cli:<os user>"). */
  actor: string;
  email: string;
  password: string;
}

/** Sets (or replaces) an existing admin user's password, audited. */
export async function setAdminPassword(options: SetAdminPasswordOptions): Promise<{ id: string; email: string }> {
  const checked = adminPasswordSchema.safeParse(options.password);
  if (!checked.success) throw validationError(zodIssuesToDetails(checked.error.issues, 'password'));
  const email = options.email.trim().toLowerCase();
  const passwordHash = await hashPassword(options.password);
  return withPlatform(options.platformDb, { actor: options.actor, action: 'admin_user.set_password', details: { email } }, async (tx) => {
    const user = await tx.adminUser.findUnique({ where: { email }, select: { id: true } });
    if (!user) throw new AppError('NOT_FOUND', `No admin user with email ${email}`);
    return tx.adminUser.update({ where: { id: user.id }, data: { passwordHash }, select: { id: true, email: true } });
  });
}

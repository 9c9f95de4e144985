import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';

/** Emails of admin users who cannot log in yet (seeded or invited, no password set). */
export async function listAdminsWithoutPassword(options: { platformDb: Db; actor: string }): Promise<string[]> {
  const users = await withPlatform(options.platformDb, { actor: options.actor, action: 'admin_user.list_without_password' }, (tx) =>
    tx.adminUser.findMany({ where: { passwordHash: null }, select: { email: true }, orderBy: { email: 'asc' } }),
  );
  return users.map((user) => user.email);
}

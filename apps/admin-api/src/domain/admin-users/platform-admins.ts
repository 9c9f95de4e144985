import { withPlatform } from '@neurosphere/db';
import type { AdminUser, Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { issuePasswordSetupToken } from './password-setup';

export interface PlatformAdminView {
  id: string;
  email: string;
  has_password: boolean;
  last_login_at: string | null;
  created_at: string;
}

function toView(user: AdminUser): PlatformAdminView {
  return {
    id: user.id,
    email: user.email,
    has_password: user.passwordHash !== null,
    last_login_at: user.lastLoginAt?.toISOString() ?? null,
    created_at: user.createdAt.toISOString(),
  };
}

/**
 * The first platform admin, on a platform that has none (the command line's `create-platform-admin`).
 * Refused once any platform admin exists: from then on platform admins add each other. Returns a
 * one-time token to set the password (shown once, stored as a hash). Serialized by an advisory lock,
 * so two concurrent runs cannot both create "the first" one.
 */
export async function createFirstPlatformAdmin(options: { platformDb: Db; actor: string; email: string }) {
  const email = options.email.trim().toLowerCase();
  return withPlatform(
    options.platformDb,
    { actor: options.actor, action: 'platform_admin.create_first', details: { email } },
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('platform_admin.create_first'))`;
      const existing = await tx.adminUser.count({ where: { isPlatformAdmin: true } });
      if (existing > 0)
        throw new AppError(
          'CONFLICT',
          `The platform has ${existing} platform admin(s) already: they add others with POST /v1/platform/admins`,
        );
      const user = await tx.adminUser.upsert({
        where: { email },
        create: { email, isPlatformAdmin: true },
        update: { isPlatformAdmin: true },
      });
      const setup = user.passwordHash === null ? await issuePasswordSetupToken(tx, { adminUserId: user.id }) : null;
      return { admin: toView(user), setPasswordToken: setup?.token ?? null, expiresAt: setup?.expiresAt ?? null };
    },
  );
}

export async function listPlatformAdmins(options: { platformDb: Db; actor: string }): Promise<PlatformAdminView[]> {
  const users = await withPlatform(options.platformDb, { actor: options.actor, action: 'platform_admin.list' }, (tx) =>
    tx.adminUser.findMany({ where: { isPlatformAdmin: true }, orderBy: { createdAt: 'asc' } }),
  );
  return users.map(toView);
}

/** Makes an admin user (new, or one that exists) a platform admin; a new one gets a set-password token. */
export async function addPlatformAdmin(options: { platformDb: Db; actor: string; email: string }) {
  const { email } = options;
  return withPlatform(options.platformDb, { actor: options.actor, action: 'platform_admin.add', details: { email } }, async (tx) => {
    const existing = await tx.adminUser.findUnique({ where: { email } });
    if (existing?.isPlatformAdmin) throw new AppError('CONFLICT', `${email} is a platform admin already`);
    const user = existing
      ? await tx.adminUser.update({ where: { id: existing.id }, data: { isPlatformAdmin: true } })
      : await tx.adminUser.create({ data: { email, isPlatformAdmin: true } });
    const setup = user.passwordHash === null ? await issuePasswordSetupToken(tx, { adminUserId: user.id }) : null;
    return { admin: toView(user), setPasswordToken: setup?.token ?? null };
  });
}

/**
 * Takes platform admin rights away (the user and their tenant memberships stay). The last platform
 * admin cannot be removed (409): the platform would have nobody left to run it. Serialized by the
 * same lock as the first admin's creation, so two admins removing each other at once leave one.
 */
export async function removePlatformAdmin(options: { platformDb: Db; actor: string; adminId: string }): Promise<void> {
  const { adminId } = options;
  await withPlatform(
    options.platformDb,
    { actor: options.actor, action: 'platform_admin.remove', details: { admin_id: adminId } },
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('platform_admin.create_first'))`;
      const user = await tx.adminUser.findUnique({ where: { id: adminId } });
      if (!user?.isPlatformAdmin) throw new AppError('NOT_FOUND', `No platform admin ${adminId}`);
      const admins = await tx.adminUser.count({ where: { isPlatformAdmin: true } });
      if (admins <= 1)
        throw new AppError('CONFLICT', `${user.email} is the last platform admin and cannot be removed: add another one first`);
      await tx.adminUser.update({ where: { id: adminId }, data: { isPlatformAdmin: false } });
    },
  );
}

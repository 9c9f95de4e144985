import type { AdminPrincipal, SupportSession } from '@neurosphere/contracts';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { adminActor } from '../shared/actor';
import { toSupportSession } from './support-session';

export interface OpenSupportSessionOptions {
  platformDb: Db;
  /** A platform admin (the route is platform-only). */
  admin: AdminPrincipal;
  customerId: number;
  reason: string;
  durationMinutes: number;
}

/**
 * Opens a support session for `admin` on the tenant: both audit logs record it with its reason.
 * One open session per admin and tenant (409 otherwise), so "which session is this request in"
 * always has one answer.
 */
export async function openSupportSession(options: OpenSupportSessionOptions): Promise<SupportSession> {
  const { admin, customerId, reason } = options;
  const actor = adminActor(admin.id);
  const now = new Date();
  return withPlatform(
    options.platformDb,
    { actor, action: 'support.session_open', customerId, reason, details: { duration_minutes: options.durationMinutes } },
    async (tx) => {
      const customer = await tx.customer.findUnique({ where: { id: customerId }, select: { id: true } });
      if (!customer) throw new AppError('NOT_FOUND', `Tenant ${customerId} not found`);
      const open = await tx.supportSession.findFirst({
        where: { customerId, adminUserId: admin.id, endedAt: null, expiresAt: { gt: now } },
        select: { id: true },
      });
      if (open)
        throw new AppError('CONFLICT', `You already have an open support session on tenant ${customerId} (${open.id}); end it first`);
      const row = await tx.supportSession.create({
        data: {
          customerId,
          adminUserId: admin.id,
          adminEmail: admin.email,
          reason,
          openedAt: now,
          expiresAt: new Date(now.getTime() + options.durationMinutes * 60_000),
        },
      });
      await tx.auditLog.create({
        data: {
          customerId,
          actor,
          action: 'support.session_opened',
          target: `support_session:${row.id}`,
          details: { reason, admin_email: admin.email, expires_at: row.expiresAt.toISOString() },
        },
      });
      return toSupportSession(row, now);
    },
  );
}

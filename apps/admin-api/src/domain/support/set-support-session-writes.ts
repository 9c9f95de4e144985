import type { SupportSession } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { findOpenSession, toSupportSession } from './support-session';

/**
 * A tenant owner lets an open support session write (at the admin role: owner-only routes stay
 * closed to it), or takes that back. Only for this session: the next one starts read-only.
 */
export async function setSupportSessionWrites(options: {
  db: Db;
  customerId: number;
  sessionId: string;
  actor: string;
  allowed: boolean;
}): Promise<SupportSession> {
  const { customerId, sessionId, actor, allowed } = options;
  const now = new Date();
  const row = await withTenant(options.db, customerId, async (tx) => {
    await findOpenSession(tx, customerId, sessionId, now);
    const updated = await tx.supportSession.update({
      where: { customerId_id: { customerId, id: sessionId } },
      data: allowed ? { writesGrantedAt: now, writesGrantedBy: actor } : { writesGrantedAt: null, writesGrantedBy: null },
    });
    await tx.auditLog.create({
      data: {
        customerId,
        actor,
        action: allowed ? 'support.writes_granted' : 'support.writes_revoked',
        target: `support_session:${sessionId}`,
        details: { admin_user_id: updated.adminUserId },
      },
    });
    return updated;
  });
  return toSupportSession(row, now);
}

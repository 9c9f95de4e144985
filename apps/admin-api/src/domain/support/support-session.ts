import type { SupportSession } from '@neurosphere/contracts';
import type { Prisma, TenantTx } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';

export type SupportSessionRow = Prisma.SupportSessionGetPayload<object>;

/** Open: not ended and not past its time limit. */
export function isOpen(row: Pick<SupportSessionRow, 'endedAt' | 'expiresAt'>, now: Date): boolean {
  return row.endedAt === null && row.expiresAt.getTime() > now.getTime();
}

export function toSupportSession(row: SupportSessionRow, now = new Date()): SupportSession {
  return {
    id: row.id,
    customer_id: row.customerId,
    admin_user_id: row.adminUserId,
    admin_email: row.adminEmail,
    reason: row.reason,
    status: row.endedAt !== null ? 'ended' : isOpen(row, now) ? 'open' : 'expired',
    opened_at: row.openedAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    ended_at: row.endedAt?.toISOString() ?? null,
    ended_by: row.endedBy,
    writes_allowed: row.writesGrantedAt !== null,
    writes_granted_at: row.writesGrantedAt?.toISOString() ?? null,
    writes_granted_by: row.writesGrantedBy,
  };
}

/** The session (of this tenant, inside the caller's transaction), open now; 404 when there is none, 409 when it is over. */
export async function findOpenSession(tx: TenantTx, customerId: number, sessionId: string, now: Date): Promise<SupportSessionRow> {
  const row = await tx.supportSession.findUnique({ where: { customerId_id: { customerId, id: sessionId } } });
  if (!row) throw new AppError('NOT_FOUND', `Support session ${sessionId} not found`);
  if (!isOpen(row, now)) throw new AppError('CONFLICT', `Support session ${sessionId} has already ${row.endedAt ? 'ended' : 'expired'}`);
  return row;
}

/** Ends an open session now, with its tenant audit row (the caller's transaction, either role). */
export async function endOpenSession(tx: TenantTx, row: SupportSessionRow, actor: string, now: Date): Promise<SupportSessionRow> {
  const ended = await tx.supportSession.update({
    where: { customerId_id: { customerId: row.customerId, id: row.id } },
    data: { endedAt: now, endedBy: actor },
  });
  await tx.auditLog.create({
    data: {
      customerId: row.customerId,
      actor,
      action: 'support.session_ended',
      target: `support_session:${row.id}`,
      details: { admin_user_id: row.adminUserId },
    },
  });
  return ended;
}

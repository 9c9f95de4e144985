import { withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { decodeCursor, timeIdCursorSchema, toPage } from '../shared/cursor';

export interface ListAuditLogOptions {
  db: Db;
  customerId: number;
  cursor?: string;
  limit: number;
}

/** The tenant's audit trail, newest first, keyset-paginated on (created_at, id). */
export async function listAuditLog(options: ListAuditLogOptions) {
  const { customerId } = options;
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, timeIdCursorSchema);
  const where: Prisma.AuditLogWhereInput = {
    customerId,
    ...(after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {}),
  };
  const rows = await withTenant(options.db, customerId, (tx) =>
    tx.auditLog.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: options.limit + 1 }),
  );
  const { items, nextCursor } = toPage(rows, options.limit, (entry) => [entry.createdAt.toISOString(), entry.id]);
  return {
    entries: items.map((entry) => ({
      id: entry.id,
      actor: entry.actor,
      action: entry.action,
      target: entry.target,
      details: entry.details,
      created_at: entry.createdAt.toISOString(),
    })),
    nextCursor,
  };
}

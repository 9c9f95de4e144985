import { withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { newestFirst } from '../shared/cursor';

export interface ListAuditLogOptions {
  db: Db;
  customerId: number;
  cursor?: string;
  limit: number;
}

/** The tenant's audit trail, newest first, keyset-paginated on (created_at, id). */
export async function listAuditLog(options: ListAuditLogOptions) {
  const { customerId } = options;
  const keyset = newestFirst(options.cursor);
  const where: Prisma.AuditLogWhereInput = {
    customerId,
    ...keyset.where,
  };
  const rows = await withTenant(options.db, customerId, (tx) =>
    tx.auditLog.findMany({ where, orderBy: keyset.orderBy, take: options.limit + 1 }),
  );
  const { items, nextCursor } = keyset.page(rows, options.limit);
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

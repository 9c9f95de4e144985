import { withPlatform } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { adminActor } from '../shared/actor';
import { newestFirst } from '../shared/cursor';

export interface ListPlatformAuditLogOptions {
  platformDb: Db;
  actorId: string;
  /** An admin user id, or a whole actor (`cli:ops`, `anonymous`). */
  admin?: string;
  customerId?: number;
  /** An action, or a prefix: `tenant.number.` or `tenant.*`. */
  action?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The platform audit log, newest first, filtered; reading it is itself audited. */
export async function listPlatformAuditLog(options: ListPlatformAuditLogOptions) {
  const keyset = newestFirst(options.cursor);
  const action = options.action;
  const prefix = action?.endsWith('*') ? action.slice(0, -1) : action?.endsWith('.') ? action : undefined;
  const where: Prisma.PlatformAuditLogWhereInput = {
    ...(options.admin ? { actor: UUID.test(options.admin) ? adminActor(options.admin) : options.admin } : {}),
    ...(options.customerId ? { customerId: options.customerId } : {}),
    ...(action ? (prefix !== undefined ? { action: { startsWith: prefix } } : { action }) : {}),
    ...(options.from || options.to
      ? { createdAt: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lt: options.to } : {}) } }
      : {}),
    ...keyset.where,
  };
  const rows = await withPlatform(
    options.platformDb,
    {
      actor: adminActor(options.actorId),
      action: 'platform_audit.list',
      details: { admin: options.admin ?? null, customer_id: options.customerId ?? null, action: action ?? null },
    },
    (tx) => tx.platformAuditLog.findMany({ where, orderBy: keyset.orderBy, take: options.limit + 1 }),
  );
  const { items, nextCursor } = keyset.page(rows, options.limit);
  return {
    entries: items.map((row) => ({
      id: row.id,
      actor: row.actor,
      action: row.action,
      customer_id: row.customerId,
      reason: row.reason,
      details: row.details,
      created_at: row.createdAt.toISOString(),
    })),
    nextCursor,
  };
}

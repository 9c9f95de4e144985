import { withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { decodeCursor, timeIdCursorSchema, toPage } from '../shared/cursor';
import { toCallListItem } from './call-view';

export interface ListCallsOptions {
  db: Db;
  customerId: number;
  /** started_at >= from */
  from?: Date;
  /** started_at < to */
  to?: Date;
  /** The caller's E.164 number (calls.from_number). */
  callerPhone?: string;
  cursor?: string;
  limit: number;
}

/** The tenant's calls, newest first, keyset-paginated on (started_at, id). */
export async function listCalls(options: ListCallsOptions) {
  const { customerId } = options;
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, timeIdCursorSchema);
  const where: Prisma.CallWhereInput = {
    customerId,
    ...(options.callerPhone ? { fromNumber: options.callerPhone } : {}),
    startedAt: { ...(options.from ? { gte: options.from } : {}), ...(options.to ? { lt: options.to } : {}) },
    ...(after ? { OR: [{ startedAt: { lt: after.at } }, { startedAt: after.at, id: { lt: after.id } }] } : {}),
  };
  const rows = await withTenant(options.db, customerId, (tx) =>
    tx.call.findMany({ where, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], take: options.limit + 1 }),
  );
  const { items, nextCursor } = toPage(rows, options.limit, (call) => [call.startedAt.toISOString(), call.id]);
  return { calls: items.map(toCallListItem), nextCursor };
}

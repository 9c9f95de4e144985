import { withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { z } from 'zod';
import { decodeCursor, toPage } from '../shared/cursor';
import { toCallerListItem } from './caller-view';

export interface ListCallersOptions {
  db: Db;
  customerId: number;
  cursor?: string;
  limit: number;
}

// (last_call_at or null, id): profiles that never completed a call sort last.
const callerCursorSchema = z.tuple([z.string().datetime().nullable(), z.string().uuid()]);

/** The tenant's caller profiles, most recent call first, keyset-paginated. */
export async function listCallers(options: ListCallersOptions) {
  const { customerId } = options;
  const where: Prisma.CallerProfileWhereInput = { customerId };
  if (options.cursor !== undefined) {
    const [lastCallAt, id] = decodeCursor(options.cursor, callerCursorSchema);
    where.OR =
      lastCallAt === null
        ? [{ lastCallAt: null, id: { lt: id } }]
        : [{ lastCallAt: { lt: new Date(lastCallAt) } }, { lastCallAt: new Date(lastCallAt), id: { lt: id } }, { lastCallAt: null }];
  }
  const rows = await withTenant(options.db, customerId, (tx) =>
    tx.callerProfile.findMany({
      where,
      orderBy: [{ lastCallAt: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }],
      take: options.limit + 1,
    }),
  );
  const { items, nextCursor } = toPage(rows, options.limit, (profile) => [profile.lastCallAt?.toISOString() ?? null, profile.id]);
  return { callers: items.map(toCallerListItem), nextCursor };
}

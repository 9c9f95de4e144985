import type { SupportSession } from '@neurosphere/contracts';
import { withPlatform, withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { adminActor } from '../shared/actor';
import { decodeCursor, timeIdCursorSchema, toPage } from '../shared/cursor';
import type { SupportSessionRow } from './support-session';
import { toSupportSession } from './support-session';

interface Page {
  sessions: SupportSession[];
  nextCursor: string | null;
}

function pageWhere(cursor: string | undefined): Prisma.SupportSessionWhereInput {
  const after = cursor === undefined ? undefined : decodeCursor(cursor, timeIdCursorSchema);
  return after ? { OR: [{ openedAt: { lt: after.at } }, { openedAt: after.at, id: { lt: after.id } }] } : {};
}

function toSessionPage(rows: SupportSessionRow[], limit: number): Page {
  const now = new Date();
  const { items, nextCursor } = toPage(rows, limit, (row) => [row.openedAt.toISOString(), row.id]);
  return { sessions: items.map((row) => toSupportSession(row, now)), nextCursor };
}

const ORDER = [{ openedAt: 'desc' }, { id: 'desc' }] satisfies Prisma.SupportSessionOrderByWithRelationInput[];

/** The tenant's support sessions, open and past, newest first (for its owners). */
export async function listTenantSupportSessions(options: { db: Db; customerId: number; cursor?: string; limit: number }): Promise<Page> {
  const { customerId, limit } = options;
  const rows = await withTenant(options.db, customerId, (tx) =>
    tx.supportSession.findMany({ where: { customerId, ...pageWhere(options.cursor) }, orderBy: ORDER, take: limit + 1 }),
  );
  return toSessionPage(rows, limit);
}

/** Support sessions across tenants, newest first; `open` keeps only those open now. */
export async function listPlatformSupportSessions(options: {
  platformDb: Db;
  actorId: string;
  customerId?: number;
  open?: boolean;
  cursor?: string;
  limit: number;
}): Promise<Page> {
  const now = new Date();
  const where: Prisma.SupportSessionWhereInput = {
    ...(options.customerId === undefined ? {} : { customerId: options.customerId }),
    ...(options.open ? { endedAt: null, expiresAt: { gt: now } } : {}),
    ...pageWhere(options.cursor),
  };
  const rows = await withPlatform(
    options.platformDb,
    {
      actor: adminActor(options.actorId),
      action: 'support.session_list',
      ...(options.customerId ? { customerId: options.customerId } : {}),
    },
    (tx) => tx.supportSession.findMany({ where, orderBy: ORDER, take: options.limit + 1 }),
  );
  return toSessionPage(rows, options.limit);
}

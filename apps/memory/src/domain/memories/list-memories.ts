import type { MemoryRecord } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { toMemoryRecord } from './memory-record';

export interface ListMemoriesOptions {
  db: Db;
  customerId: number;
  /** One caller (E.164), or every caller of the tenant when absent. */
  userId?: string;
  /** Page size; the contract bounds it. */
  limit: number;
  /** From a previous page's next_cursor. */
  cursor?: string;
}

/**
 * Memories newest first, keyset-paginated on (created_at, id): pages stay stable while new
 * memories arrive, and each page is an index range of (customer_id, user_id, created_at).
 */
export async function listMemories(options: ListMemoriesOptions): Promise<{ memories: MemoryRecord[]; nextCursor: string | null }> {
  const { db, customerId, userId, limit } = options;
  const after = options.cursor === undefined ? null : decodeCursor(options.cursor);
  const where: Prisma.MemoryWhereInput = {
    customerId,
    ...(userId === undefined ? {} : { userId }),
    ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
  };
  const rows = await withTenant(db, customerId, (tx) =>
    tx.memory.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 }),
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor = rows.length > limit && last ? encodeCursor(last.createdAt, last.id) : null;
  return { memories: page.map(toMemoryRecord), nextCursor };
}

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = iso ? new Date(iso) : new Date(Number.NaN);
  if (!id || !/^[0-9a-f-]{36}$/i.test(id) || Number.isNaN(createdAt.getTime())) {
    throw new AppError('VALIDATION_FAILED', 'Invalid query.cursor: not a cursor returned by this API', {
      details: [{ path: 'query.cursor', message: 'not a cursor returned by this API' }],
    });
  }
  return { createdAt, id };
}

import { validationError } from '@neurosphere/http';
import { z } from 'zod';

/**
 * Opaque keyset-pagination cursors: the sort key of the last row of a page, as base64url JSON.
 * Keyset (not offset) pagination stays correct while new rows arrive and costs one index seek.
 */
export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor; anything else is a 400 naming query.cursor. */
export function decodeCursor<T extends z.ZodTypeAny>(cursor: string, schema: T): z.output<T> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) throw validationError([{ path: 'query.cursor', message: 'cursor is not one this API returned' }]);
  return parsed.data as z.output<T>;
}

/** A (timestamp, uuid) sort key, as used by newest-first lists. */
export const timeIdCursorSchema = z.tuple([z.string().datetime(), z.string().uuid()]).transform(([at, id]) => ({ at: new Date(at), id }));

/** Splits `limit + 1` fetched rows into a page and the cursor of the next page (null when last). */
export function toPage<Row>(rows: Row[], limit: number, keyOf: (row: Row) => (string | number | null)[]) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null;
  return { items, nextCursor };
}

/**
 * Keyset paging of a newest-first list on (created_at, id), the shape of every log and inbox:
 * `where` keeps the rows past the cursor, `orderBy` sorts them, `page` cuts the page and its cursor.
 */
export function newestFirst(cursor: string | undefined) {
  const after = cursor === undefined ? undefined : decodeCursor(cursor, timeIdCursorSchema);
  return {
    where: after ? { OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] } : {},
    orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
    page: <Row extends { createdAt: Date; id: string }>(rows: Row[], limit: number) =>
      toPage(rows, limit, (row) => [row.createdAt.toISOString(), row.id]),
  };
}

import { withTenant } from '@neurosphere/db';
import type { Db, Prisma, SmsDirection, SmsMessage, SmsStatus } from '@neurosphere/db';
import { validationError } from '@neurosphere/http';
import { z } from 'zod';

export interface ListMessagesOptions {
  customerId: number;
  /** Messages to or from this number (E.164). */
  phoneNumber?: string;
  status?: SmsStatus;
  direction?: SmsDirection;
  /** created_at >= since */
  since?: Date;
  /** created_at < until */
  until?: Date;
  limit: number;
  /** Opaque `nextCursor` of the previous page. */
  cursor?: string;
}

export interface MessagePage {
  messages: SmsMessage[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** A position in the log's order (created_at desc, id desc), stable while new messages arrive. */
const cursorSchema = z.tuple([z.string().datetime(), z.string().uuid()]);

function encodeCursor(message: SmsMessage): string {
  return Buffer.from(JSON.stringify([message.createdAt.toISOString(), message.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw validationError([{ path: 'query.cursor', message: 'cursor is not a next_cursor this API returned' }]);
  }
}

/** The tenant's message log, newest first, keyset-paginated (no OFFSET scans). */
export async function listMessages(db: Db, options: ListMessagesOptions): Promise<MessagePage> {
  const { customerId, limit } = options;
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const filters: Prisma.SmsMessageWhereInput[] = [{ customerId }];
  if (options.phoneNumber) filters.push({ OR: [{ toNumber: options.phoneNumber }, { fromNumber: options.phoneNumber }] });
  if (options.status) filters.push({ status: options.status });
  if (options.direction) filters.push({ direction: options.direction });
  if (options.since || options.until)
    filters.push({ createdAt: { ...(options.since ? { gte: options.since } : {}), ...(options.until ? { lt: options.until } : {}) } });
  if (after) filters.push({ OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] });

  const rows = await withTenant(db, customerId, (tx) =>
    tx.smsMessage.findMany({ where: { AND: filters }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 }),
  );
  const messages = rows.slice(0, limit);
  const last = messages.at(-1);
  return { messages, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

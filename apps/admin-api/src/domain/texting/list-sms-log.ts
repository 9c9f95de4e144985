import { withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { decodeCursor, timeIdCursorSchema, toPage } from '../shared/cursor';

export interface ListSmsLogOptions {
  db: Db;
  customerId: number;
  /** The caller's E.164 number: texts to or from it. */
  callerPhone?: string;
  direction?: 'inbound' | 'outbound';
  status?: 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';
  cursor?: string;
  limit: number;
}

/** The tenant's texts, newest first, keyset-paginated on (created_at, id). */
export async function listSmsLog(options: ListSmsLogOptions) {
  const { customerId } = options;
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, timeIdCursorSchema);
  const where: Prisma.SmsMessageWhereInput = {
    customerId,
    AND: [
      ...(options.callerPhone ? [{ OR: [{ fromNumber: options.callerPhone }, { toNumber: options.callerPhone }] }] : []),
      ...(after ? [{ OR: [{ createdAt: { lt: after.at } }, { createdAt: after.at, id: { lt: after.id } }] }] : []),
    ],
    ...(options.direction ? { direction: options.direction } : {}),
    ...(options.status ? { status: options.status } : {}),
  };
  const rows = await withTenant(options.db, customerId, (tx) => tx.smsMessage.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: options.limit + 1 }));
  const { items, nextCursor } = toPage(rows, options.limit, (row) => [row.createdAt.toISOString(), row.id]);
  return {
    messages: items.map((row) => ({
      id: row.id,
      direction: row.direction,
      from: row.fromNumber,
      to: row.toNumber,
      body: row.body,
      status: row.status,
      template: row.templateName,
      error_code: row.errorCode,
      error_message: row.errorMessage,
      created_at: row.createdAt.toISOString(),
    })),
    nextCursor,
  };
}

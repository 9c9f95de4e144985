import { withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { newestFirst } from '../shared/cursor';

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
  const keyset = newestFirst(options.cursor);
  const where: Prisma.SmsMessageWhereInput = {
    customerId,
    AND: [...(options.callerPhone ? [{ OR: [{ fromNumber: options.callerPhone }, { toNumber: options.callerPhone }] }] : []), keyset.where],
    ...(options.direction ? { direction: options.direction } : {}),
    ...(options.status ? { status: options.status } : {}),
  };
  const rows = await withTenant(options.db, customerId, (tx) =>
    tx.smsMessage.findMany({ where, orderBy: keyset.orderBy, take: options.limit + 1 }),
  );
  const { items, nextCursor } = keyset.page(rows, options.limit);
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

import type { InboxItem } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { newestFirst } from '../shared/cursor';
import { toInboxItems } from './inbox-view';

export interface ListInboxOptions {
  db: Db;
  customerId: number;
  status?: 'new' | 'in_progress' | 'done';
  kind?: 'message' | 'callback';
  urgency?: 'low' | 'normal' | 'high';
  /** An admin user id, or 'none' for unassigned items. */
  assignee?: string;
  /** The caller's E.164 number. */
  callerPhone?: string;
  cursor?: string;
  limit: number;
}

/** The tenant's inbox, newest first, keyset-paginated on (created_at, id). */
export async function listInbox(options: ListInboxOptions): Promise<{ items: InboxItem[]; nextCursor: string | null }> {
  const { customerId } = options;
  const keyset = newestFirst(options.cursor);
  const where: Prisma.CallMessageWhereInput = {
    customerId,
    ...(options.status ? { status: options.status } : {}),
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.urgency ? { urgency: options.urgency } : {}),
    ...(options.assignee ? { assigneeId: options.assignee === 'none' ? null : options.assignee } : {}),
    ...(options.callerPhone ? { callerNumber: options.callerPhone } : {}),
    ...keyset.where,
  };
  return withTenant(options.db, customerId, async (tx) => {
    const rows = await tx.callMessage.findMany({ where, orderBy: keyset.orderBy, take: options.limit + 1 });
    const { items, nextCursor } = keyset.page(rows, options.limit);
    return { items: await toInboxItems(tx, customerId, items), nextCursor };
  });
}

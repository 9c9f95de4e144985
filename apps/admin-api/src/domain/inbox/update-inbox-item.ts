import type { InboxItem } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db, Prisma } from '@neurosphere/db';
import { AppError, validationError } from '@neurosphere/http';
import { readInboxItem } from './get-inbox-item';

export interface UpdateInboxItemOptions {
  db: Db;
  customerId: number;
  /** Who changes it (admin:<id> or api_key:<id>), for the audit row. */
  actor: string;
  itemId: string;
  status?: 'new' | 'in_progress' | 'done';
  urgency?: 'low' | 'normal' | 'high';
  /** A member of the tenant, or null to unassign; undefined leaves it. */
  assigneeId?: string | null;
}

/** Changes an item's status, urgency or assignee and audits what changed (nothing changed: no audit row). */
export async function updateInboxItem(options: UpdateInboxItemOptions): Promise<InboxItem> {
  const { customerId, itemId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const row = await tx.callMessage.findUnique({ where: { customerId_id: { customerId, id: itemId } } });
    if (!row) throw new AppError('NOT_FOUND', `Inbox item ${itemId} not found`);
    if (options.assigneeId) {
      const member = await tx.membership.findUnique({ where: { customerId_adminUserId: { customerId, adminUserId: options.assigneeId } } });
      if (!member) throw validationError([{ path: 'body.assignee_id', message: 'assignee_id is not a member of this team' }]);
    }
    const data: Prisma.CallMessageUpdateInput = {};
    const changes: Record<string, { from: string | null; to: string | null }> = {};
    if (options.status !== undefined && options.status !== row.status) {
      data.status = options.status;
      data.handledAt = options.status === 'done' ? new Date() : null;
      changes.status = { from: row.status, to: options.status };
    }
    if (options.urgency !== undefined && options.urgency !== row.urgency) {
      data.urgency = options.urgency;
      changes.urgency = { from: row.urgency, to: options.urgency };
    }
    if (options.assigneeId !== undefined && options.assigneeId !== row.assigneeId) {
      data.assigneeId = options.assigneeId;
      changes.assignee_id = { from: row.assigneeId, to: options.assigneeId };
    }
    if (Object.keys(changes).length > 0) {
      await tx.callMessage.update({ where: { customerId_id: { customerId, id: itemId } }, data });
      await tx.auditLog.create({
        data: { customerId, actor: options.actor, action: 'inbox_item.updated', target: `inbox_item:${itemId}`, details: changes },
      });
    }
    return readInboxItem(tx, customerId, itemId);
  });
}

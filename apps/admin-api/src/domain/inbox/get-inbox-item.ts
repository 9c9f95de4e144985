import type { InboxItem } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db, TenantTx } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { toInboxItems } from './inbox-view';

/** One inbox item of the tenant; another tenant's id is simply not found. */
export async function getInboxItem(options: { db: Db; customerId: number; itemId: string }): Promise<InboxItem> {
  const { customerId, itemId } = options;
  return withTenant(options.db, customerId, (tx) => readInboxItem(tx, customerId, itemId));
}

/** Reads an item inside a tenant transaction (for the routes that change one and answer with it). */
export async function readInboxItem(tx: TenantTx, customerId: number, itemId: string): Promise<InboxItem> {
  const row = await tx.callMessage.findUnique({ where: { customerId_id: { customerId, id: itemId } } });
  if (!row) throw new AppError('NOT_FOUND', `Inbox item ${itemId} not found`);
  const [item] = await toInboxItems(tx, customerId, [row]);
  return item as InboxItem;
}

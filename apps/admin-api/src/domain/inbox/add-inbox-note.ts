import type { InboxItem } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { randomUUID } from 'node:crypto';
import { readInboxItem } from './get-inbox-item';
import { storedNotes } from './inbox-view';

/** Appends a staff note to an item (row-locked, so two notes added at once both stay). */
export async function addInboxNote(options: {
  db: Db;
  customerId: number;
  actor: string;
  itemId: string;
  body: string;
}): Promise<InboxItem> {
  const { customerId, itemId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const [locked] = await tx.$queryRaw<{ notes: unknown }[]>`
      SELECT notes FROM call_messages WHERE customer_id = ${customerId} AND id = ${itemId}::uuid FOR UPDATE`;
    if (!locked) throw new AppError('NOT_FOUND', `Inbox item ${itemId} not found`);
    const note = { id: randomUUID(), author: options.actor, body: options.body, created_at: new Date().toISOString() };
    await tx.callMessage.update({
      where: { customerId_id: { customerId, id: itemId } },
      data: { notes: [...storedNotes(locked.notes), note] },
    });
    return readInboxItem(tx, customerId, itemId);
  });
}

import type { InboxItem } from '@neurosphere/contracts';
import type { CallMessage, TenantTx } from '@neurosphere/db';
import { z } from 'zod';

/** The stored shape of call_messages.notes (oldest first). */
export const storedNotesSchema = z.array(z.object({ id: z.string(), author: z.string(), body: z.string(), created_at: z.string() }));

/**
 * Inbox items as the API shows them, with the links (caller profile, call) resolved in the same
 * transaction: call_messages keeps the call's sid and the caller's number, which are the keys of
 * calls and caller_profiles within the tenant.
 */
export async function toInboxItems(tx: TenantTx, customerId: number, rows: CallMessage[]): Promise<InboxItem[]> {
  if (rows.length === 0) return [];
  const callSids = [...new Set(rows.flatMap((row) => (row.callSid ? [row.callSid] : [])))];
  const phones = [...new Set(rows.map((row) => row.callerNumber))];
  const [calls, profiles] = await Promise.all([
    callSids.length > 0 ? tx.call.findMany({ where: { customerId, callSid: { in: callSids } }, select: { id: true, callSid: true } }) : [],
    tx.callerProfile.findMany({ where: { customerId, userId: { in: phones } }, select: { id: true, userId: true } }),
  ]);
  const callIdBySid = new Map(calls.map((call) => [call.callSid, call.id]));
  const profileIdByPhone = new Map(profiles.map((profile) => [profile.userId, profile.id]));
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    caller: { phone: row.callerNumber, name: row.callerName, caller_id: profileIdByPhone.get(row.callerNumber) ?? null },
    reason: row.message,
    callback_time: row.callbackTime,
    urgency: row.urgency,
    status: row.status,
    assignee_id: row.assigneeId,
    call: row.callSid ? { id: callIdBySid.get(row.callSid) ?? null, call_sid: row.callSid } : null,
    notes: storedNotes(row.notes),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    done_at: row.handledAt?.toISOString() ?? null,
  }));
}

export function storedNotes(value: unknown): z.infer<typeof storedNotesSchema> {
  const parsed = storedNotesSchema.safeParse(value);
  return parsed.success ? parsed.data : [];
}

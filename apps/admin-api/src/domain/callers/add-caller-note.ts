import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';

/**
 * A staff note about a caller, kept as one of the caller's memories (kind staff_note), so the
 * agent knows it on the caller's next call, as data like every memory, never as instructions.
 */
export async function addCallerNote(options: { db: Db; customerId: number; actor: string; callerId: string; body: string }) {
  const { customerId, callerId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const profile = await tx.callerProfile.findUnique({ where: { customerId_id: { customerId, id: callerId } } });
    if (!profile) throw new AppError('NOT_FOUND', `Caller ${callerId} not found`);
    const note = await tx.memory.create({
      data: { customerId, userId: profile.userId, content: options.body, kind: 'staff_note', metadata: { author: options.actor } },
    });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'caller.note_added',
        target: `caller:${callerId}`,
        details: { memory_id: note.id },
      },
    });
    return { id: note.id, body: note.content, author: options.actor, created_at: note.createdAt.toISOString() };
  });
}

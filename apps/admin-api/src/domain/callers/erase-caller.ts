import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError, validationError } from '@neurosphere/http';
import type { CallerErasure } from '../../clients/memory-client';

/**
 * Erases a caller through the memory service (profile, memories, summaries, scores and queued
 * jobs), once the owner has repeated the caller's number. The audit row (no phone number: the
 * caller is gone) is written after memory confirmed the erasure.
 */
export async function eraseCaller(options: {
  db: Db;
  memory: CallerErasure | undefined;
  customerId: number;
  actor: string;
  callerId: string;
  confirmPhone: string;
}) {
  const { customerId, callerId } = options;
  const profile = await withTenant(options.db, customerId, (tx) =>
    tx.callerProfile.findUnique({ where: { customerId_id: { customerId, id: callerId } } }),
  );
  if (!profile) throw new AppError('NOT_FOUND', `Caller ${callerId} not found`);
  if (options.confirmPhone.trim() !== profile.userId) {
    throw validationError([{ path: 'body.confirm_phone', message: "confirm_phone must be the caller's phone number exactly as shown" }]);
  }
  if (!options.memory) throw new AppError('UNAVAILABLE', 'Erasure is not available: the memory service is not configured (MEMORY_URL)');
  const { deleted } = await options.memory.erase({ customerId, callerPhone: profile.userId });
  await withTenant(options.db, customerId, (tx) =>
    tx.auditLog.create({
      data: { customerId, actor: options.actor, action: 'caller.erased', target: `caller:${callerId}`, details: { deleted } },
    }),
  );
  return { deleted };
}

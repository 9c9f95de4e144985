import type { SupportSession } from '@neurosphere/contracts';
import { withPlatform, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { adminActor } from '../shared/actor';
import { endOpenSession, findOpenSession, toSupportSession } from './support-session';

/** A tenant owner ends a support session on their tenant (inside the tenant). */
export async function endSupportSessionAsOwner(options: {
  db: Db;
  customerId: number;
  sessionId: string;
  actor: string;
}): Promise<SupportSession> {
  const now = new Date();
  const row = await withTenant(options.db, options.customerId, async (tx) =>
    endOpenSession(tx, await findOpenSession(tx, options.customerId, options.sessionId, now), options.actor, now),
  );
  return toSupportSession(row, now);
}

/** The platform admin ends their own support session (another admin's: 403). */
export async function endSupportSessionAsAdmin(options: {
  platformDb: Db;
  adminId: string;
  customerId: number;
  sessionId: string;
}): Promise<SupportSession> {
  const { customerId, sessionId } = options;
  const actor = adminActor(options.adminId);
  const now = new Date();
  const row = await withPlatform(
    options.platformDb,
    { actor, action: 'support.session_end', customerId, details: { session_id: sessionId } },
    async (tx) => {
      const open = await findOpenSession(tx, customerId, sessionId, now);
      if (open.adminUserId !== options.adminId)
        throw new AppError('FORBIDDEN', 'Only the admin who opened a support session (or a tenant owner) can end it');
      return endOpenSession(tx, open, actor, now);
    },
  );
  return toSupportSession(row, now);
}

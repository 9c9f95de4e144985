import type { Prisma } from '@neurosphere/db';
import { withPlatform } from '@neurosphere/db';
import type { SessionDeps, SessionEndReason } from './session-types';

export interface EndSessionsOptions {
  actor: string;
  /** The platform audit action, e.g. admin.logout, admin.logout_all, admin.password.change. */
  action: string;
  adminUserId: string;
  /** These sessions of the user; or every open one of them (`all`), optionally but one. */
  sessionIds: readonly string[] | { all: true; except?: string };
  reason: SessionEndReason;
  details?: Prisma.InputJsonObject;
}

/**
 * Ends sessions of one admin user (audited): their refresh tokens stop working (the rows say so)
 * and their access tokens too (listed in Redis until they would have expired). Answers how many
 * were open. Redis is written before the rows commit: if it fails, nothing is ended and a retry
 * finds the same open sessions, rather than rows that say ended beside access tokens that still work.
 */
export async function endSessions(deps: Pick<SessionDeps, 'platformDb' | 'revocations'>, options: EndSessionsOptions): Promise<number> {
  const scope = options.sessionIds;
  const ended = await withPlatform(
    deps.platformDb,
    {
      actor: options.actor,
      action: options.action,
      details: { admin_user_id: options.adminUserId, reason: options.reason, ...options.details },
    },
    async (tx) => {
      const where: Prisma.AdminSessionWhereInput = {
        adminUserId: options.adminUserId,
        revokedAt: null,
        ...('all' in scope ? (scope.except ? { id: { not: scope.except } } : {}) : { id: { in: [...scope] } }),
      };
      const open = await tx.adminSession.findMany({ where, select: { id: true } });
      const ids = open.map((row) => row.id);
      if (ids.length > 0) {
        await tx.adminSession.updateMany({
          where: { id: { in: ids }, revokedAt: null },
          data: { revokedAt: new Date(), revokedReason: options.reason },
        });
      }
      await deps.revocations.revoke(ids);
      return ids;
    },
  );
  return ended.length;
}

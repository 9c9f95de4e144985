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
 * were open.
 */
export async function endSessions(deps: Pick<SessionDeps, 'platformDb' | 'revocations'>, options: EndSessionsOptions): Promise<number> {
  const scope = options.sessionIds;
  const ended = await withPlatform(
    deps.platformDb,
    { actor: options.actor, action: options.action, details: { admin_user_id: options.adminUserId, reason: options.reason, ...options.details } },
    async (tx) => {
      const where: Prisma.AdminSessionWhereInput = {
        adminUserId: options.adminUserId,
        revokedAt: null,
        ...('all' in scope ? (scope.except ? { id: { not: scope.except } } : {}) : { id: { in: [...scope] } }),
      };
      const open = await tx.adminSession.findMany({ where, select: { id: true } });
      if (open.length > 0) {
        await tx.adminSession.updateMany({ where: { id: { in: open.map((row) => row.id) }, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: options.reason } });
      }
      return open.map((row) => row.id);
    },
  );
  await deps.revocations.revoke(ended);
  return ended.length;
}

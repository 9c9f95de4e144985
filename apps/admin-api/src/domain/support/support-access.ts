import type { MembershipRoleName } from '@neurosphere/contracts';
import { withPlatform, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import type { TenantAccessExtension, TenantGrant } from '../../routes/authorize';
import { adminActor } from '../shared/actor';

const ROLE_RANK: Record<MembershipRoleName, number> = { viewer: 0, admin: 1, owner: 2 };
const READ_METHODS = new Set(['GET', 'HEAD']);

/**
 * Support sessions as the authorization middleware's TenantAccessExtension: a platform admin with
 * an open support session on the path's tenant is let in. Reads act as the tenant's owner would
 * (everything the tenant can see); writes are refused with 403 unless a tenant owner granted them
 * for this session, and then act at the admin role, so owner-only routes (team, API keys, support
 * sessions themselves) stay closed. Every request let through is written to the tenant's audit
 * log and the platform audit log BEFORE the handler runs: when the audit cannot be written the
 * request fails, so no support read goes unrecorded. Without an open session: null (the usual 404).
 */
export function createSupportAccess(deps: { db: Db; platformDb: Db }): TenantAccessExtension {
  return {
    async grantWithoutMembership({ admin, customerId, access, req }) {
      if (!admin.is_platform_admin) return null;
      const now = new Date();
      const session = await withTenant(deps.db, customerId, (tx) =>
        tx.supportSession.findFirst({
          where: { customerId, adminUserId: admin.id, endedAt: null, expiresAt: { gt: now } },
          orderBy: { openedAt: 'desc' },
        }),
      );
      if (!session) return null;

      const reads = READ_METHODS.has(req.method);
      const writesAllowed = session.writesGrantedAt !== null;
      if (!reads && !writesAllowed) {
        throw new AppError(
          'FORBIDDEN',
          `Support session ${session.id} is read-only: a tenant owner can allow writes for it (PUT /v1/tenants/${customerId}/support-sessions/${session.id}/writes)`,
        );
      }
      const grant: TenantGrant = {
        customerId,
        role: reads ? 'owner' : 'admin',
        via: 'support',
        support: { sessionId: session.id, writesAllowed },
      };
      // Too low a role is refused by the middleware next, and nothing was read or written to audit.
      if (ROLE_RANK[access.role] > ROLE_RANK[grant.role ?? 'viewer']) return grant;

      const actor = adminActor(admin.id);
      const action = reads ? 'support.read' : 'support.write';
      const details = { support_session_id: session.id, method: req.method, path: req.path };
      await withPlatform(deps.platformDb, { actor, action, customerId, reason: session.reason, details }, (tx) =>
        tx.auditLog.create({ data: { customerId, actor, action, target: `support_session:${session.id}`, details } }),
      );
      return grant;
    },
  };
}

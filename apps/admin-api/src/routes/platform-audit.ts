import type { platformAuditContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { listPlatformAuditLog } from '../domain/audit/list-platform-audit-log';
import { adminOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Platform-admin routes (metadata.access = platform): the platform audit log. */
export function platformAuditRoutes(deps: RouteDeps): ContractImplementation<typeof platformAuditContract> {
  const { platformDb } = deps;
  return {
    listPlatformAuditLog: async ({ query, res }) => {
      const page = await listPlatformAuditLog({
        platformDb,
        actorId: adminOf(res).id,
        admin: query.admin,
        customerId: query.customer_id,
        action: query.action,
        from: query.from,
        to: query.to,
        cursor: query.cursor,
        limit: query.limit,
      });
      return { status: 200, body: { success: true, entries: page.entries, next_cursor: page.nextCursor } };
    },
  };
}

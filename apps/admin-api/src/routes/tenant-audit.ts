import type { tenantAuditContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { listAuditLog } from '../domain/audit/list-audit-log';
import { tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant routes: the tenant is `tenantOf(res)` (a checked membership); the domain runs inside withTenant. */
export function tenantAuditRoutes(deps: RouteDeps): ContractImplementation<typeof tenantAuditContract> {
  const { db } = deps;
  return {
    listAuditLog: async ({ query, res }) => {
      const page = await listAuditLog({ db, customerId: tenantOf(res).customerId, cursor: query.cursor, limit: query.limit });
      return { status: 200, body: { success: true, entries: page.entries, next_cursor: page.nextCursor } };
    },
  };
}

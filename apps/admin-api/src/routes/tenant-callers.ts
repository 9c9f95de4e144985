import type { tenantCallersContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { getCaller } from '../domain/callers/get-caller';
import { listCallers } from '../domain/callers/list-callers';
import { tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant routes: the tenant is `tenantOf(res)` (a checked membership); the domain runs inside withTenant. */
export function tenantCallersRoutes(deps: RouteDeps): ContractImplementation<typeof tenantCallersContract> {
  const { db } = deps;
  return {
    listCallers: async ({ query, res }) => {
      const page = await listCallers({ db, customerId: tenantOf(res).customerId, cursor: query.cursor, limit: query.limit });
      return { status: 200, body: { success: true, callers: page.callers, next_cursor: page.nextCursor } };
    },
    getCaller: async ({ params, res }) => {
      const caller = await getCaller({ db, customerId: tenantOf(res).customerId, callerId: params.callerId });
      return { status: 200, body: { success: true, caller } };
    },
  };
}

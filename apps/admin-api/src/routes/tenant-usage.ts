import type { tenantUsageContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { summarizeUsage } from '../domain/usage/summarize-usage';
import { tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant routes: the tenant is `tenantOf(res)` (a checked membership); the domain runs inside withTenant. */
export function tenantUsageRoutes(deps: RouteDeps): ContractImplementation<typeof tenantUsageContract> {
  const { db } = deps;
  return {
    getUsage: async ({ query, res }) => {
      const usage = await summarizeUsage({ db, customerId: tenantOf(res).customerId, from: query.from, to: query.to });
      return { status: 200, body: { success: true, from: query.from.toISOString(), to: query.to.toISOString(), usage } };
    },
  };
}

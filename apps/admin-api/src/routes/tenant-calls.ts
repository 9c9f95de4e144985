import type { tenantCallsContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { countCallsPerDay } from '../domain/calls/count-calls-per-day';
import { getCall } from '../domain/calls/get-call';
import { listCalls } from '../domain/calls/list-calls';
import { tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant routes: the tenant is `tenantOf(res)` (a checked membership); the domain runs inside withTenant. */
export function tenantCallsRoutes(deps: RouteDeps): ContractImplementation<typeof tenantCallsContract> {
  const { db } = deps;
  return {
    listCalls: async ({ query, res }) => {
      const page = await listCalls({
        db,
        customerId: tenantOf(res).customerId,
        from: query.from,
        to: query.to,
        callerPhone: query.caller,
        cursor: query.cursor,
        limit: query.limit,
      });
      return { status: 200, body: { success: true, calls: page.calls, next_cursor: page.nextCursor } };
    },
    getCall: async ({ params, res }) => {
      const call = await getCall({ db, customerId: tenantOf(res).customerId, callId: params.callId });
      return { status: 200, body: { success: true, call } };
    },
    getCallsPerDay: async ({ query, res }) => {
      const stats = await countCallsPerDay({ db, customerId: tenantOf(res).customerId, days: query.days, now: new Date() });
      return { status: 200, body: { success: true, time_zone: stats.timeZone, days: stats.days } };
    },
  };
}

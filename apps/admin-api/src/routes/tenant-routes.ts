import type { adminApiContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { getCaller } from '../domain/callers/get-caller';
import { listCallers } from '../domain/callers/list-callers';
import { getCall } from '../domain/calls/get-call';
import { listCalls } from '../domain/calls/list-calls';
import { listAuditLog } from '../domain/audit/list-audit-log';
import { getAgentSettings } from '../domain/settings/get-agent-settings';
import { updateAgentSettings } from '../domain/settings/update-agent-settings';
import { summarizeUsage } from '../domain/usage/summarize-usage';
import { adminOf, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/**
 * Tenant-admin routes (`/v1/tenants/:customerId/...`, metadata.access = tenant). The tenant is
 * `tenantOf(res).customerId`, set by the authorization middleware from a checked membership;
 * every domain function below runs inside withTenant (app role, RLS).
 */
export function tenantRoutes(deps: RouteDeps): ContractImplementation<typeof adminApiContract.tenant> {
  const { db } = deps;
  return {
    getSettings: async ({ res }) => {
      const settings = await getAgentSettings({ db, customerId: tenantOf(res).customerId });
      return { status: 200, body: { success: true, settings } };
    },
    updateSettings: async ({ body, res }) => {
      const settings = await updateAgentSettings({ db, customerId: tenantOf(res).customerId, actorId: adminOf(res).id, changes: body });
      return { status: 200, body: { success: true, settings } };
    },
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
    listCallers: async ({ query, res }) => {
      const page = await listCallers({ db, customerId: tenantOf(res).customerId, cursor: query.cursor, limit: query.limit });
      return { status: 200, body: { success: true, callers: page.callers, next_cursor: page.nextCursor } };
    },
    getCaller: async ({ params, res }) => {
      const caller = await getCaller({ db, customerId: tenantOf(res).customerId, callerId: params.callerId });
      return { status: 200, body: { success: true, caller } };
    },
    getUsage: async ({ query, res }) => {
      const usage = await summarizeUsage({ db, customerId: tenantOf(res).customerId, from: query.from, to: query.to });
      return { status: 200, body: { success: true, from: query.from.toISOString(), to: query.to.toISOString(), usage } };
    },
    listAuditLog: async ({ query, res }) => {
      const page = await listAuditLog({ db, customerId: tenantOf(res).customerId, cursor: query.cursor, limit: query.limit });
      return { status: 200, body: { success: true, entries: page.entries, next_cursor: page.nextCursor } };
    },
  };
}

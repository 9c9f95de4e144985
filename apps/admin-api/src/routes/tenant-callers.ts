import type { tenantCallersContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { addCallerNote } from '../domain/callers/add-caller-note';
import { eraseCaller } from '../domain/callers/erase-caller';
import { getCaller } from '../domain/callers/get-caller';
import { listCallers } from '../domain/callers/list-callers';
import { updateCaller } from '../domain/callers/update-caller';
import { actorOf, tenantOf } from './authorize';
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
    updateCaller: async ({ params, body, res }) => {
      const caller = await updateCaller({
        db,
        customerId: tenantOf(res).customerId,
        actor: actorOf(res),
        callerId: params.callerId,
        name: body.name,
        variables: body.variables,
      });
      return { status: 200, body: { success: true, caller } };
    },
    addCallerNote: async ({ params, body, res }) => {
      const note = await addCallerNote({
        db,
        customerId: tenantOf(res).customerId,
        actor: actorOf(res),
        callerId: params.callerId,
        body: body.body,
      });
      return { status: 201, body: { success: true, note } };
    },
    eraseCaller: async ({ params, body, res }) => {
      const result = await eraseCaller({
        db,
        memory: deps.memory,
        customerId: tenantOf(res).customerId,
        actor: actorOf(res),
        callerId: params.callerId,
        confirmPhone: body.confirm_phone,
      });
      return { status: 200, body: { success: true, deleted: result.deleted } };
    },
  };
}

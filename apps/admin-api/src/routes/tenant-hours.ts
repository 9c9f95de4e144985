import type { tenantHoursContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { getBusinessHours } from '../domain/hours/get-business-hours';
import { putBusinessHours } from '../domain/hours/put-business-hours';
import { actorOf, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant routes: business hours, time zone, after-hours behaviour, transfer schedule. */
export function tenantHoursRoutes(deps: RouteDeps): ContractImplementation<typeof tenantHoursContract> {
  const { db } = deps;
  return {
    getBusinessHours: async ({ res }) => ({
      status: 200,
      body: { success: true, hours: await getBusinessHours({ db, customerId: tenantOf(res).customerId }) },
    }),
    putBusinessHours: async ({ body, res }) => {
      const hours = await putBusinessHours({ db, customerId: tenantOf(res).customerId, actor: actorOf(res), hours: body });
      return { status: 200, body: { success: true, hours } };
    },
  };
}

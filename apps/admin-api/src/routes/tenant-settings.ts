import type { tenantSettingsContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { getAgentSettings } from '../domain/settings/get-agent-settings';
import { updateAgentSettings } from '../domain/settings/update-agent-settings';
import { actorOf, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant routes: the tenant is `tenantOf(res)` (a checked membership); the domain runs inside withTenant. */
export function tenantSettingsRoutes(deps: RouteDeps): ContractImplementation<typeof tenantSettingsContract> {
  const { db } = deps;
  return {
    getSettings: async ({ res }) => {
      const settings = await getAgentSettings({ db, customerId: tenantOf(res).customerId, allowedModels: deps.allowedModels });
      return { status: 200, body: { success: true, settings } };
    },
    updateSettings: async ({ body, res }) => {
      const settings = await updateAgentSettings({
        db,
        customerId: tenantOf(res).customerId,
        actor: actorOf(res),
        changes: body,
        allowedModels: deps.allowedModels,
      });
      return { status: 200, body: { success: true, settings } };
    },
  };
}

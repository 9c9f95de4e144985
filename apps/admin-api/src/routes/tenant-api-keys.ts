import type { tenantApiKeysContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { createApiKey } from '../domain/api-keys/create-api-key';
import { listApiKeys } from '../domain/api-keys/list-api-keys';
import { revokeApiKey } from '../domain/api-keys/revoke-api-key';
import { actorOf, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant routes: the tenant is `tenantOf(res)` (a checked membership); the domain runs inside withTenant. */
export function tenantApiKeysRoutes(deps: RouteDeps): ContractImplementation<typeof tenantApiKeysContract> {
  const { db } = deps;
  return {
    listApiKeys: async ({ res }) => {
      const apiKeys = await listApiKeys({ db, customerId: tenantOf(res).customerId });
      return { status: 200, body: { success: true, api_keys: apiKeys } };
    },
    createApiKey: async ({ body, res }) => {
      const created = await createApiKey({
        db,
        customerId: tenantOf(res).customerId,
        actor: actorOf(res),
        name: body.name,
        scopes: body.scopes,
      });
      return { status: 201, body: { success: true, api_key: created.apiKey, key: created.key } };
    },
    revokeApiKey: async ({ params, res }) => {
      const apiKey = await revokeApiKey({ db, customerId: tenantOf(res).customerId, actor: actorOf(res), apiKeyId: params.apiKeyId });
      return { status: 200, body: { success: true, api_key: apiKey } };
    },
  };
}

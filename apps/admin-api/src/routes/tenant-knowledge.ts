import type { tenantKnowledgeContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { getBusinessKnowledge } from '../domain/knowledge/get-business-knowledge';
import { putBusinessKnowledge } from '../domain/knowledge/put-business-knowledge';
import { actorOf, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant routes: the business facts the agent answers from. */
export function tenantKnowledgeRoutes(deps: RouteDeps): ContractImplementation<typeof tenantKnowledgeContract> {
  const { db } = deps;
  return {
    getBusinessKnowledge: async ({ res }) => ({
      status: 200,
      body: { success: true, knowledge: await getBusinessKnowledge({ db, customerId: tenantOf(res).customerId }) },
    }),
    putBusinessKnowledge: async ({ body, res }) => {
      const knowledge = await putBusinessKnowledge({ db, customerId: tenantOf(res).customerId, actor: actorOf(res), knowledge: body });
      return { status: 200, body: { success: true, knowledge } };
    },
  };
}

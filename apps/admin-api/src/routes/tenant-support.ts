import type { tenantSupportContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { endSupportSessionAsOwner } from '../domain/support/end-support-session';
import { listTenantSupportSessions } from '../domain/support/list-support-sessions';
import { setSupportSessionWrites } from '../domain/support/set-support-session-writes';
import { actorOf, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant routes (owners): the support sessions of platform admins on this tenant. */
export function tenantSupportRoutes(deps: RouteDeps): ContractImplementation<typeof tenantSupportContract> {
  const { db } = deps;
  return {
    listSupportSessions: async ({ query, res }) => {
      const page = await listTenantSupportSessions({ db, customerId: tenantOf(res).customerId, cursor: query.cursor, limit: query.limit });
      return { status: 200, body: { success: true, sessions: page.sessions, next_cursor: page.nextCursor } };
    },
    endSupportSession: async ({ params, res }) => {
      const session = await endSupportSessionAsOwner({
        db,
        customerId: tenantOf(res).customerId,
        sessionId: params.sessionId,
        actor: actorOf(res),
      });
      return { status: 200, body: { success: true, session } };
    },
    setSupportSessionWrites: async ({ params, body, res }) => {
      const session = await setSupportSessionWrites({
        db,
        customerId: tenantOf(res).customerId,
        sessionId: params.sessionId,
        actor: actorOf(res),
        allowed: body.allowed,
      });
      return { status: 200, body: { success: true, session } };
    },
  };
}

import type { platformSupportContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { endSupportSessionAsAdmin } from '../domain/support/end-support-session';
import { listPlatformSupportSessions } from '../domain/support/list-support-sessions';
import { openSupportSession } from '../domain/support/open-support-session';
import { adminOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Platform-admin routes: support sessions (every one through withPlatform, audited). */
export function platformSupportRoutes(deps: RouteDeps): ContractImplementation<typeof platformSupportContract> {
  const { platformDb } = deps;
  return {
    openSupportSession: async ({ params, body, res }) => {
      const session = await openSupportSession({
        platformDb,
        admin: adminOf(res),
        customerId: params.customerId,
        reason: body.reason,
        durationMinutes: body.duration_minutes,
      });
      return { status: 201, body: { success: true, session } };
    },
    listPlatformSupportSessions: async ({ query, res }) => {
      const page = await listPlatformSupportSessions({
        platformDb,
        actorId: adminOf(res).id,
        customerId: query.customer_id,
        open: query.open === 'true',
        cursor: query.cursor,
        limit: query.limit,
      });
      return { status: 200, body: { success: true, sessions: page.sessions, next_cursor: page.nextCursor } };
    },
    endPlatformSupportSession: async ({ params, res }) => {
      const session = await endSupportSessionAsAdmin({
        platformDb,
        adminId: adminOf(res).id,
        customerId: params.customerId,
        sessionId: params.sessionId,
      });
      return { status: 200, body: { success: true, session } };
    },
  };
}

import type { tenantTeamContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { changeMemberRole } from '../domain/team/change-member-role';
import { inviteMember } from '../domain/team/invite-member';
import { listTeam } from '../domain/team/list-team';
import { removeMember } from '../domain/team/remove-member';
import { revokeInvitation } from '../domain/team/revoke-invitation';
import { actorOf, tenantOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Tenant routes: the tenant is `tenantOf(res)`; team data spans admin_users, so the domain runs inside withPlatform scoped to it. */
export function tenantTeamRoutes(deps: RouteDeps): ContractImplementation<typeof tenantTeamContract> {
  const { platformDb } = deps;
  return {
    listMembers: async ({ res }) => {
      const team = await listTeam({ platformDb, customerId: tenantOf(res).customerId, actor: actorOf(res) });
      return { status: 200, body: { success: true, ...team } };
    },
    inviteMember: async ({ body, res }) => {
      const invited = await inviteMember({
        platformDb,
        mailer: deps.mailer,
        customerId: tenantOf(res).customerId,
        actor: actorOf(res),
        email: body.email,
        role: body.role,
        consoleUrl: deps.settings.consoleUrl,
        ttlSeconds: deps.settings.invitationTtlSeconds,
      });
      return {
        status: 201,
        body: {
          success: true,
          invitation: invited.invitation,
          mail_sent: invited.mailSent,
          ...(invited.invitationUrl ? { invitation_url: invited.invitationUrl } : {}),
        },
      };
    },
    revokeInvitation: async ({ params, res }) => {
      await revokeInvitation({ platformDb, customerId: tenantOf(res).customerId, actor: actorOf(res), invitationId: params.invitationId });
      return { status: 200, body: { success: true } };
    },
    changeMemberRole: async ({ params, body, res }) => {
      const member = await changeMemberRole({
        platformDb,
        customerId: tenantOf(res).customerId,
        actor: actorOf(res),
        memberId: params.memberId,
        role: body.role,
      });
      return { status: 200, body: { success: true, member } };
    },
    removeMember: async ({ params, res }) => {
      await removeMember({ platformDb, customerId: tenantOf(res).customerId, actor: actorOf(res), memberId: params.memberId });
      return { status: 200, body: { success: true } };
    },
  };
}

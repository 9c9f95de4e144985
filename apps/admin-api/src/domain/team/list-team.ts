import type { PendingInvitation, TeamMember } from '@neurosphere/contracts';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { memberInclude, toPendingInvitation, toTeamMember } from './team-views';

/**
 * The tenant's members (with their emails) and its pending invitations. Emails live in
 * admin_users, which the app role cannot read (an admin user spans tenants), so the team is read
 * through withPlatform, scoped to this tenant by every where clause and audited with it.
 */
export async function listTeam(options: {
  platformDb: Db;
  customerId: number;
  actor: string;
}): Promise<{ members: TeamMember[]; invitations: PendingInvitation[] }> {
  const { customerId } = options;
  return withPlatform(options.platformDb, { actor: options.actor, action: 'tenant.team.list', customerId }, async (tx) => {
    const members = await tx.membership.findMany({
      where: { customerId },
      include: memberInclude,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    const invitations = await tx.tenantInvitation.findMany({
      where: { customerId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return { members: members.map(toTeamMember), invitations: invitations.map(toPendingInvitation) };
  });
}

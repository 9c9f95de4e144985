import type { MembershipRoleName, TeamMember } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { assertNotLastOwner, lockTeam } from './owner-guard';
import { memberInclude, toTeamMember } from './team-views';

export interface ChangeMemberRoleOptions {
  platformDb: Db;
  customerId: number;
  actor: string;
  memberId: string;
  role: MembershipRoleName;
}

/** Changes a member's role (the last owner cannot be demoted), audited in both audit logs. */
export async function changeMemberRole(options: ChangeMemberRoleOptions): Promise<TeamMember> {
  const { customerId, memberId, role } = options;
  return withPlatform(
    options.platformDb,
    { actor: options.actor, action: 'tenant.member.change_role', customerId, details: { member_id: memberId, role } },
    async (tx) => {
      await lockTeam(tx, customerId);
      const member = await tx.membership.findUnique({ where: { customerId_id: { customerId, id: memberId } }, include: memberInclude });
      if (!member) throw new AppError('NOT_FOUND', 'Member not found');
      if (member.role === role) return toTeamMember(member);
      if (member.role === 'owner') await assertNotLastOwner(tx, { customerId, email: member.adminUser.email, change: 'demoted' });
      const updated = await tx.membership.update({
        where: { customerId_id: { customerId, id: memberId } },
        data: { role },
        include: memberInclude,
      });
      await tx.auditLog.create({
        data: {
          customerId,
          actor: options.actor,
          action: 'member.role_changed',
          target: `member:${memberId}`,
          details: { email: member.adminUser.email, from: member.role, to: role },
        },
      });
      return toTeamMember(updated);
    },
  );
}

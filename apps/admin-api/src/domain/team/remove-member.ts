import { AppError } from '@neurosphere/http';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { assertNotLastOwner, lockTeam } from './owner-guard';
import { memberInclude } from './team-views';

/**
 * Removes a member from the team (the last owner cannot be removed), audited in both audit logs.
 * Their access tokens carry the membership for up to 15 minutes; the next refresh drops it.
 */
export async function removeMember(options: { platformDb: Db; customerId: number; actor: string; memberId: string }): Promise<void> {
  const { customerId, memberId } = options;
  await withPlatform(
    options.platformDb,
    { actor: options.actor, action: 'tenant.member.remove', customerId, details: { member_id: memberId } },
    async (tx) => {
      await lockTeam(tx, customerId);
      const member = await tx.membership.findUnique({ where: { customerId_id: { customerId, id: memberId } }, include: memberInclude });
      if (!member) throw new AppError('NOT_FOUND', 'Member not found');
      if (member.role === 'owner') await assertNotLastOwner(tx, { customerId, email: member.adminUser.email, change: 'removed' });
      await tx.membership.delete({ where: { customerId_id: { customerId, id: memberId } } });
      await tx.auditLog.create({
        data: {
          customerId,
          actor: options.actor,
          action: 'member.removed',
          target: `member:${memberId}`,
          details: { email: member.adminUser.email, role: member.role },
        },
      });
    },
  );
}

import { AppError } from '@neurosphere/http';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';

/** Withdraws a pending invitation (its link stops working), audited in both audit logs. */
export async function revokeInvitation(options: {
  platformDb: Db;
  customerId: number;
  actor: string;
  invitationId: string;
}): Promise<void> {
  const { customerId, invitationId } = options;
  await withPlatform(
    options.platformDb,
    { actor: options.actor, action: 'tenant.invitation.revoke', customerId, details: { invitation_id: invitationId } },
    async (tx) => {
      const invitation = await tx.tenantInvitation.findUnique({ where: { customerId_id: { customerId, id: invitationId } } });
      if (!invitation || invitation.acceptedAt || invitation.revokedAt) throw new AppError('NOT_FOUND', 'Pending invitation not found');
      await tx.tenantInvitation.update({ where: { customerId_id: { customerId, id: invitationId } }, data: { revokedAt: new Date() } });
      await tx.auditLog.create({
        data: {
          customerId,
          actor: options.actor,
          action: 'invitation.revoked',
          target: `invitation:${invitationId}`,
          details: { email: invitation.email },
        },
      });
    },
  );
}

import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { findUsableInvitation, invitationAddress } from './find-invitation';

/** What an invitation link is for, without using it (the console shows it before asking for a password). */
export async function previewInvitation(options: { platformDb: Db; token: string }) {
  const address = invitationAddress(options.token);
  return withPlatform(
    options.platformDb,
    { actor: 'anonymous', action: 'tenant.invitation.preview', customerId: address.customerId, details: { invitation_id: address.id } },
    async (tx) => {
      const invitation = await findUsableInvitation(tx, address);
      const customer = await tx.customer.findUniqueOrThrow({ where: { id: invitation.customerId }, select: { businessName: true } });
      const user = await tx.adminUser.findUnique({ where: { email: invitation.email }, select: { passwordHash: true } });
      return {
        email: invitation.email,
        role: invitation.role,
        business_name: customer.businessName,
        expires_at: invitation.expiresAt.toISOString(),
        needs_password: user?.passwordHash == null,
      };
    },
  );
}

import type { TenantTx } from '@neurosphere/db';
import { formatToken, newSecret, tenantPublicPart } from '../shared/secret-token';

/** How long an owner's invitation stays usable. */
export const OWNER_INVITATION_TTL_SECONDS = 7 * 24 * 3600;

export interface OwnerInvitation {
  id: string;
  email: string;
  role: 'owner';
  expiresAt: Date;
  /** The one-time token (nsi_<customer id>-<id>_<secret>); only its hash is stored. */
  token: string;
}

/**
 * Invites the tenant's owner: a tenant_invitations row (role owner, expiring, the token's secret
 * stored as SHA-256), in the caller's transaction, audited in the tenant's audit log. A pending
 * invitation of the same email is revoked first, so only the newest link works. Accepting it is
 * the team-invitation flow's (POST /v1/auth/invitations/accept): a new email gets an account with
 * the password it chooses, an existing account just gets the owner membership.
 */
export async function createOwnerInvitation(
  tx: TenantTx,
  options: { customerId: number; email: string; invitedBy: string; ttlSeconds?: number },
): Promise<OwnerInvitation> {
  const { customerId, email } = options;
  const { secret, secretHash } = newSecret();
  const expiresAt = new Date(Date.now() + (options.ttlSeconds ?? OWNER_INVITATION_TTL_SECONDS) * 1000);
  await tx.tenantInvitation.updateMany({
    where: { customerId, email, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  const invitation = await tx.tenantInvitation.create({
    data: { customerId, email, role: 'owner', secretHash, invitedBy: options.invitedBy, expiresAt },
  });
  await tx.auditLog.create({
    data: {
      customerId,
      actor: options.invitedBy,
      action: 'member.invited',
      target: `invitation:${invitation.id}`,
      details: { email, role: 'owner' },
    },
  });
  return {
    id: invitation.id,
    email,
    role: 'owner',
    expiresAt,
    token: formatToken('nsi', tenantPublicPart(customerId, invitation.id), secret),
  };
}

import type { MembershipRoleName } from '@neurosphere/contracts';
import { AppError, validationError } from '@neurosphere/http';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { hashPassword } from '../auth/password-hash';
import { adminActor } from '../shared/actor';
import { findUsableInvitation, invitationAddress } from './find-invitation';

export interface AcceptInvitationOptions {
  platformDb: Db;
  token: string;
  /** Required when the invited email has no account or no password yet; refused when it has one. */
  password?: string;
}

/**
 * Uses an invitation (once): a new email gets an admin user with the chosen password, an existing
 * one keeps its password and just gets the membership. The invitation is marked accepted and the
 * join is audited in both audit logs, all in one transaction.
 */
export async function acceptInvitation(
  options: AcceptInvitationOptions,
): Promise<{ customerId: number; role: MembershipRoleName; email: string }> {
  const address = invitationAddress(options.token);
  // Hashing is deliberately slow: before the transaction, not while it holds locks.
  const passwordHash = options.password === undefined ? null : await hashPassword(options.password);

  return withPlatform(
    options.platformDb,
    { actor: 'anonymous', action: 'tenant.invitation.accept', customerId: address.customerId, details: { invitation_id: address.id } },
    async (tx) => {
      const invitation = await findUsableInvitation(tx, address);
      const { customerId, email, role } = invitation;
      const existing = await tx.adminUser.findUnique({ where: { email }, select: { id: true, passwordHash: true } });
      if (existing?.passwordHash && passwordHash) {
        throw validationError([
          { path: 'body.password', message: 'this account already has a password: accept without one, then sign in with it' },
        ]);
      }
      if (!existing?.passwordHash && !passwordHash) {
        throw validationError([{ path: 'body.password', message: 'password is required to set up your account' }]);
      }
      const user = existing
        ? passwordHash
          ? await tx.adminUser.update({ where: { id: existing.id }, data: { passwordHash }, select: { id: true } })
          : existing
        : await tx.adminUser.create({ data: { email, passwordHash }, select: { id: true } });

      const already = await tx.membership.findUnique({ where: { customerId_adminUserId: { customerId, adminUserId: user.id } } });
      if (already) throw new AppError('CONFLICT', `${email} is already a member of this team`);
      const membership = await tx.membership.create({ data: { customerId, adminUserId: user.id, role } });
      await tx.tenantInvitation.update({ where: { customerId_id: { customerId, id: invitation.id } }, data: { acceptedAt: new Date() } });
      await tx.auditLog.create({
        data: {
          customerId,
          actor: adminActor(user.id),
          action: 'member.joined',
          target: `member:${membership.id}`,
          details: { email, role, invitation_id: invitation.id, new_account: existing === null },
        },
      });
      return { customerId, role, email };
    },
  );
}

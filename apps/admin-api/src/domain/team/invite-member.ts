import { CONSOLE_LINK_PATHS } from '@neurosphere/contracts';
import type { MembershipRoleName, PendingInvitation } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import type { Mailer } from '@neurosphere/mail';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { consoleLink, invitationMail } from '../mail/mail-texts';
import { formatToken, newSecret, tenantPublicPart } from '../shared/secret-token';
import { toPendingInvitation } from './team-views';

export interface InviteMemberOptions {
  platformDb: Db;
  mailer: Mailer;
  customerId: number;
  actor: string;
  /** Lower-cased by the contract. */
  email: string;
  role: MembershipRoleName;
  consoleUrl: string;
  ttlSeconds: number;
}

export interface InvitedMember {
  invitation: PendingInvitation;
  mailSent: boolean;
  /** The link itself, only when the mail could not be sent (the inviting owner passes it on). */
  invitationUrl?: string;
}

/**
 * Invites someone to the team: a one-time, expiring token (only its hash is stored) mailed as a
 * console link. A pending invitation for the same email is replaced, and someone already in the
 * team is a 409. The invitation is committed (and audited in both audit logs) before the mail is
 * tried, so a mail server that is down loses nothing: the link comes back to the owner instead.
 */
export async function inviteMember(options: InviteMemberOptions): Promise<InvitedMember> {
  const { customerId, email, role } = options;
  const { secret, secretHash } = newSecret();
  const expiresAt = new Date(Date.now() + options.ttlSeconds * 1000);

  const { invitation, businessName } = await withPlatform(
    options.platformDb,
    { actor: options.actor, action: 'tenant.member.invite', customerId, details: { email, role } },
    async (tx) => {
      const existing = await tx.membership.findFirst({ where: { customerId, adminUser: { email } }, select: { id: true } });
      if (existing) throw new AppError('CONFLICT', `${email} is already a member of this team`);
      const customer = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, select: { businessName: true } });
      await tx.tenantInvitation.updateMany({
        where: { customerId, email, acceptedAt: null, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      const created = await tx.tenantInvitation.create({
        data: { customerId, email, role, secretHash, invitedBy: options.actor, expiresAt },
      });
      await tx.auditLog.create({
        data: { customerId, actor: options.actor, action: 'member.invited', target: `invitation:${created.id}`, details: { email, role } },
      });
      return { invitation: created, businessName: customer.businessName };
    },
  );

  const link = consoleLink(
    options.consoleUrl,
    CONSOLE_LINK_PATHS.acceptInvitation,
    formatToken('nsi', tenantPublicPart(customerId, invitation.id), secret),
  );
  const mail = await options.mailer.send(invitationMail({ to: email, businessName, role, link, expiresAt }));
  return { invitation: toPendingInvitation(invitation), mailSent: mail.sent, ...(mail.sent ? {} : { invitationUrl: link }) };
}

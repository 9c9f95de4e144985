import { validationError } from '@neurosphere/http';
import type { TenantInvitation, TenantTx } from '@neurosphere/db';
import { parseTenantPublicPart, parseToken, secretMatches } from '../shared/secret-token';

/** One answer for every unusable link: whether it never existed, was used, withdrawn or expired is nobody's business. */
const UNUSABLE = 'This invitation link is invalid, was already used or has expired: ask for a new invitation';

/** Where an invitation token points: its tenant and row, parsed without touching the database. */
export function invitationAddress(token: string): { customerId: number; id: string; secret: string } {
  const parsed = parseToken('nsi', token);
  const names = parsed ? parseTenantPublicPart(parsed.publicPart) : null;
  if (!parsed || !names) throw validationError([{ path: 'body.token', message: UNUSABLE }]);
  return { ...names, secret: parsed.secret };
}

/** The pending invitation a token opens (inside the caller's withPlatform transaction), or a 400 naming body.token. */
export async function findUsableInvitation(
  tx: TenantTx,
  address: { customerId: number; id: string; secret: string },
): Promise<TenantInvitation> {
  const invitation = await tx.tenantInvitation.findUnique({ where: { customerId_id: { customerId: address.customerId, id: address.id } } });
  const usable =
    invitation !== null &&
    secretMatches(address.secret, invitation.secretHash) &&
    invitation.acceptedAt === null &&
    invitation.revokedAt === null &&
    invitation.expiresAt > new Date();
  if (!usable) throw validationError([{ path: 'body.token', message: UNUSABLE }]);
  return invitation;
}

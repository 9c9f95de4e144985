import type { PendingInvitation, TeamMember } from '@neurosphere/contracts';
import type { MembershipRole } from '@neurosphere/db';

export function toTeamMember(row: {
  id: string;
  role: MembershipRole;
  createdAt: Date;
  adminUser: { id: string; email: string; lastLoginAt: Date | null };
}): TeamMember {
  return {
    id: row.id,
    admin_user_id: row.adminUser.id,
    email: row.adminUser.email,
    role: row.role,
    last_login_at: row.adminUser.lastLoginAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

export function toPendingInvitation(row: {
  id: string;
  email: string;
  role: MembershipRole;
  invitedBy: string;
  expiresAt: Date;
  createdAt: Date;
}): PendingInvitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    invited_by: row.invitedBy,
    expires_at: row.expiresAt.toISOString(),
    created_at: row.createdAt.toISOString(),
  };
}

export const memberInclude = { adminUser: { select: { id: true, email: true, lastLoginAt: true } } } as const;

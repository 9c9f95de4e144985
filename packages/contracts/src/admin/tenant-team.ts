import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponseSchema } from '../common';
import { emailSchema, errorResponses, isoDateTime, membershipRoleSchema, tenantPathSchema, tenantPaths, tenantRoute } from './shared';

const c = initContract();

export const teamMemberSchema = z.object({
  /** The membership id (what the member routes take). */
  id: z.string(),
  admin_user_id: z.string(),
  email: z.string(),
  role: membershipRoleSchema,
  last_login_at: isoDateTime.nullable(),
  created_at: isoDateTime,
});
export type TeamMember = z.infer<typeof teamMemberSchema>;

export const pendingInvitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: membershipRoleSchema,
  invited_by: z.string(),
  expires_at: isoDateTime,
  created_at: isoDateTime,
});
export type PendingInvitation = z.infer<typeof pendingInvitationSchema>;

const memberPathSchema = tenantPathSchema.extend({ memberId: z.string().uuid('memberId must be a membership id (UUID)') });
const invitationPathSchema = tenantPathSchema.extend({ invitationId: z.string().uuid('invitationId must be an invitation id (UUID)') });
const roleBodySchema = z.object({ role: membershipRoleSchema }).strict();

/**
 * Part of `adminApiContract.tenant`: the team. Owners invite (a one-time link by mail), change roles
 * and remove members; the last owner can be neither removed nor demoted (409). Every change is in
 * the tenant's audit log. API keys cannot manage the team (no scope).
 */
export const tenantTeamContract = c.router({
  listMembers: {
    method: 'GET',
    path: tenantPaths('/members'),
    pathParams: tenantPathSchema,
    responses: {
      200: z.object({ success: z.literal(true), members: z.array(teamMemberSchema), invitations: z.array(pendingInvitationSchema) }),
      ...errorResponses,
    },
    metadata: tenantRoute('admin'),
    summary: 'Team members and pending invitations',
  },
  inviteMember: {
    method: 'POST',
    path: tenantPaths('/invitations'),
    pathParams: tenantPathSchema,
    body: z.object({ email: emailSchema, role: membershipRoleSchema }).strict(),
    responses: {
      201: z.object({
        success: z.literal(true),
        invitation: pendingInvitationSchema,
        /** False when the mail could not be sent: give the invitee `invitation_url` yourself. */
        mail_sent: z.boolean(),
        /** Only when mail_sent is false: the one-time link, so nothing is lost. */
        invitation_url: z.string().optional(),
      }),
      ...errorResponses,
      409: errorResponseSchema,
    },
    metadata: tenantRoute('owner'),
    summary: 'Invite someone by email (a one-time link, valid ADMIN_INVITATION_TTL_SECONDS); a new invitation replaces a pending one',
  },
  revokeInvitation: {
    method: 'DELETE',
    path: tenantPaths('/invitations/:invitationId'),
    pathParams: invitationPathSchema,
    body: c.noBody(),
    responses: { 200: z.object({ success: z.literal(true) }), ...errorResponses },
    metadata: tenantRoute('owner'),
    summary: 'Withdraw a pending invitation',
  },
  changeMemberRole: {
    method: 'PATCH',
    path: tenantPaths('/members/:memberId'),
    pathParams: memberPathSchema,
    body: roleBodySchema,
    responses: { 200: z.object({ success: z.literal(true), member: teamMemberSchema }), ...errorResponses, 409: errorResponseSchema },
    metadata: tenantRoute('owner'),
    summary: "Change a member's role (the last owner cannot be demoted: 409)",
  },
  removeMember: {
    method: 'DELETE',
    path: tenantPaths('/members/:memberId'),
    pathParams: memberPathSchema,
    body: c.noBody(),
    responses: { 200: z.object({ success: z.literal(true) }), ...errorResponses, 409: errorResponseSchema },
    metadata: tenantRoute('owner'),
    summary: 'Remove a member (the last owner cannot be removed: 409); they lose access at their next refresh at the latest',
  },
});

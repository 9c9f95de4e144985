import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponseSchema } from '../common';
import { adminPasswordSchema, authenticatedRoute, emailSchema, isoDateTime, membershipRoleSchema, publicRoute } from './shared';

const c = initContract();

/**
 * Where links in emails point: paths of the web console under CONSOLE_URL. The token travels in
 * the fragment (`#token=...`), which browsers never send to a server, so it reaches no access log;
 * the console reads it and POSTs it to the routes below.
 */
export const CONSOLE_LINK_PATHS = {
  acceptInvitation: '/accept-invitation',
  resetPassword: '/reset-password',
} as const;

/** One-time tokens (invitation, password reset) as they arrive in a request body. */
const oneTimeTokenSchema = z.string({ required_error: 'token is required' }).min(1, 'token is required').max(200, 'token is too long');

const ok = z.object({ success: z.literal(true) });

export const invitationPreviewSchema = z.object({
  email: z.string(),
  role: membershipRoleSchema,
  business_name: z.string(),
  expires_at: isoDateTime,
  /** True when accepting must set a password (a new account, or one that never had a password). */
  needs_password: z.boolean(),
});

/** Part of `adminApiContract.auth`: passwords (change, reset by mail) and accepting invitations. */
export const accountContract = c.router({
  changePassword: {
    method: 'POST',
    path: '/v1/auth/password',
    body: z
      .object({
        current_password: z.string({ required_error: 'current_password is required' }).min(1, 'current_password is required').max(1024),
        new_password: adminPasswordSchema,
      })
      .strict(),
    responses: {
      200: z.object({ success: z.literal(true), other_sessions_ended: z.number().int() }),
      400: errorResponseSchema,
      401: errorResponseSchema,
      403: errorResponseSchema,
      429: errorResponseSchema,
    },
    metadata: authenticatedRoute,
    summary: 'Change your password (needs the current one); every other session of yours ends',
  },
  requestPasswordReset: {
    method: 'POST',
    path: '/v1/auth/password-reset',
    body: z.object({ email: emailSchema }).strict(),
    responses: { 202: z.object({ success: z.literal(true), message: z.string() }), 400: errorResponseSchema },
    metadata: publicRoute,
    summary: 'Mail a one-time password-reset link; the answer is the same whether or not the email has an account',
  },
  confirmPasswordReset: {
    method: 'POST',
    path: '/v1/auth/password-reset/confirm',
    body: z.object({ token: oneTimeTokenSchema, password: adminPasswordSchema }).strict(),
    responses: { 200: ok, 400: errorResponseSchema },
    metadata: publicRoute,
    summary: 'Set a new password with the token from the reset link; every session of the account ends',
  },
  previewInvitation: {
    method: 'POST',
    path: '/v1/auth/invitations/preview',
    body: z.object({ token: oneTimeTokenSchema }).strict(),
    responses: { 200: z.object({ success: z.literal(true), invitation: invitationPreviewSchema }), 400: errorResponseSchema },
    metadata: publicRoute,
    summary: 'What an invitation link is for (team, role, whether a password must be chosen), without using it',
  },
  acceptInvitation: {
    method: 'POST',
    path: '/v1/auth/invitations/accept',
    body: z.object({ token: oneTimeTokenSchema, password: adminPasswordSchema.optional() }).strict(),
    responses: {
      200: z.object({ success: z.literal(true), customer_id: z.number().int(), role: membershipRoleSchema, email: z.string() }),
      400: errorResponseSchema,
      409: errorResponseSchema,
    },
    metadata: publicRoute,
    summary: 'Join the team: a new account sets its password here; an existing account just gets the membership',
  },
});

import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponseSchema } from '../common';
import { adminPasswordSchema, publicRoute } from './shared';

const c = initContract();

/** One-time tokens (set-password links) as they arrive in a request body. */
const oneTimeTokenSchema = z.string({ required_error: 'token is required' }).min(1, 'token is required').max(200, 'token is too long');

/** Part of `adminApiContract.auth`: setting a password with a one-time token. */
export const accountContract = c.router({
  confirmPasswordReset: {
    method: 'POST',
    path: '/v1/auth/password-reset/confirm',
    body: z.object({ token: oneTimeTokenSchema, password: adminPasswordSchema }).strict(),
    responses: { 200: z.object({ success: z.literal(true) }), 400: errorResponseSchema },
    metadata: publicRoute,
    summary: 'Set a password with a one-time token (a new platform admin’s set-password token, a reset link)',
  },
});

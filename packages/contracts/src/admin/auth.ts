import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponseSchema } from '../common';
import { adminPrincipalSchema, authenticatedRoute, emailSchema, publicRoute } from './shared';

const c = initContract();

export const loginRequestSchema = z.object({
  email: emailSchema,
  // Not length-checked here: a login must not tell which passwords could never match.
  password: z.string({ required_error: 'password is required' }).min(1, 'password is required').max(1024),
});

export const loginResponseSchema = z.object({
  success: z.literal(true),
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  user: adminPrincipalSchema,
});

/** `adminApiContract.auth`: logging in and asking who the token belongs to. */
export const adminAuthContract = c.router({
  login: {
    method: 'POST',
    path: '/v1/auth/login',
    body: loginRequestSchema,
    responses: { 200: loginResponseSchema, 400: errorResponseSchema, 401: errorResponseSchema },
    metadata: publicRoute,
    summary: 'Exchange email + password for a 15-minute admin access token',
  },
  me: {
    method: 'GET',
    path: '/v1/auth/me',
    responses: { 200: z.object({ success: z.literal(true), user: adminPrincipalSchema }), 401: errorResponseSchema },
    metadata: authenticatedRoute,
    summary: 'The caller as the access token describes them',
  },
});

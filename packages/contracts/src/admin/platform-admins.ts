import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponseSchema } from '../common';
import { emailSchema, errorResponses, isoDateTime, platformRoute } from './shared';

const c = initContract();

export const platformAdminSchema = z.object({
  id: z.string(),
  email: z.string(),
  /** False until they set a password with their one-time token. */
  has_password: z.boolean(),
  last_login_at: isoDateTime.nullable(),
  created_at: isoDateTime,
});

/**
 * Part of `adminApiContract.platform`: who runs the platform. The first platform admin is created
 * on the command line (`create-platform-admin`); from then on platform admins add and remove each
 * other here. The last one cannot be removed (409).
 */
export const platformAdminsContract = c.router({
  listPlatformAdmins: {
    method: 'GET',
    path: '/v1/platform/admins',
    responses: { 200: z.object({ success: z.literal(true), admins: z.array(platformAdminSchema) }), ...errorResponses },
    metadata: platformRoute,
    summary: 'Every platform admin',
  },
  addPlatformAdmin: {
    method: 'POST',
    path: '/v1/platform/admins',
    body: z.object({ email: emailSchema }).strict(),
    responses: {
      201: z.object({
        success: z.literal(true),
        admin: platformAdminSchema,
        /** One-time token to set a password (null when the admin user already had one). Shown once. */
        set_password_token: z.string().nullable(),
      }),
      ...errorResponses,
      409: errorResponseSchema,
    },
    metadata: platformRoute,
    summary: 'Make an admin user (new or existing) a platform admin',
  },
  removePlatformAdmin: {
    method: 'DELETE',
    path: '/v1/platform/admins/:adminId',
    pathParams: z.object({ adminId: z.string().uuid('adminId must be a UUID') }),
    body: z.object({}).strict().optional(),
    responses: { 200: z.object({ success: z.literal(true) }), ...errorResponses, 409: errorResponseSchema },
    metadata: platformRoute,
    summary: 'Take platform admin rights away (the user keeps their tenant memberships); never the last platform admin',
  },
});

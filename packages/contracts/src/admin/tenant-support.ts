import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { errorResponseSchema } from '../common';
import { cursorSchema, errorResponses, isoDateTime, pageLimitSchema, tenantPathSchema, tenantPaths, tenantRoute } from './shared';

const c = initContract();

/** The longest support session a platform admin may open, in minutes. */
export const SUPPORT_SESSION_MAX_MINUTES = 60;

/**
 * A platform admin's support session on one tenant. While `status` is `open` the tenant's routes
 * answer to that admin: reads (GET) always, writes only once a tenant owner has granted them for
 * this session (`writes_allowed`), and then at the admin role (owner-only routes stay closed).
 * Every request in it is written to the tenant's audit log and to the platform audit log.
 */
export const supportSessionSchema = z.object({
  id: z.string(),
  customer_id: z.number().int(),
  admin_user_id: z.string(),
  admin_email: z.string(),
  reason: z.string(),
  status: z.enum(['open', 'ended', 'expired']),
  opened_at: isoDateTime,
  expires_at: isoDateTime,
  ended_at: isoDateTime.nullable(),
  /** Who ended it early: `admin:<id>` (the support admin or a tenant owner). */
  ended_by: z.string().nullable(),
  writes_allowed: z.boolean(),
  writes_granted_at: isoDateTime.nullable(),
  writes_granted_by: z.string().nullable(),
});
export type SupportSession = z.infer<typeof supportSessionSchema>;

const supportSessionPathSchema = tenantPathSchema.extend({ sessionId: z.string().uuid('sessionId must be a UUID') });
const sessionResponse = z.object({ success: z.literal(true), session: supportSessionSchema });

/** Part of `adminApiContract.tenant`: the tenant's owners see, end and grant writes to support sessions. */
export const tenantSupportContract = c.router({
  listSupportSessions: {
    method: 'GET',
    path: tenantPaths('/support-sessions'),
    pathParams: tenantPathSchema,
    query: z.object({ cursor: cursorSchema.optional(), limit: pageLimitSchema }),
    responses: {
      200: z.object({ success: z.literal(true), sessions: z.array(supportSessionSchema), next_cursor: z.string().nullable() }),
      ...errorResponses,
    },
    metadata: tenantRoute('owner'),
    summary: 'Support sessions of platform admins on this tenant, open and past, newest first',
  },
  endSupportSession: {
    method: 'POST',
    path: tenantPaths('/support-sessions/:sessionId/end'),
    pathParams: supportSessionPathSchema,
    body: z.object({}).strict().optional(),
    responses: { 200: sessionResponse, ...errorResponses, 409: errorResponseSchema },
    metadata: tenantRoute('owner'),
    summary: 'End an open support session now (409 when it has already ended or expired)',
  },
  setSupportSessionWrites: {
    method: 'PUT',
    path: tenantPaths('/support-sessions/:sessionId/writes'),
    pathParams: supportSessionPathSchema,
    body: z
      .object({ allowed: z.boolean({ required_error: 'allowed is required', invalid_type_error: 'allowed must be true or false' }) })
      .strict(),
    responses: { 200: sessionResponse, ...errorResponses, 409: errorResponseSchema },
    metadata: tenantRoute('owner'),
    summary: 'Let an open support session write (admin-level routes), or make it read-only again',
  },
});

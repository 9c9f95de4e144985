import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { customerIdSchema, errorResponseSchema } from '../common';
import { cursorSchema, errorResponses, pageLimitSchema, platformRoute, requiredText, tenantPathSchema } from './shared';
import { SUPPORT_SESSION_MAX_MINUTES, supportSessionSchema } from './tenant-support';

const c = initContract();

export const openSupportSessionRequestSchema = z
  .object({
    /** Why the admin needs the tenant's data (a ticket, the tenant's request); shown to its owners and kept in both audit logs. */
    reason: requiredText('reason', 1000).refine((reason) => reason.length >= 10, { message: 'reason must be at least 10 characters' }),
    duration_minutes: z
      .number({ invalid_type_error: 'duration_minutes must be an integer' })
      .int('duration_minutes must be an integer')
      .min(1, 'duration_minutes must be at least 1')
      .max(SUPPORT_SESSION_MAX_MINUTES, `duration_minutes must be at most ${SUPPORT_SESSION_MAX_MINUTES}`)
      .default(30),
  })
  .strict();

const sessionResponse = z.object({ success: z.literal(true), session: supportSessionSchema });

/** Part of `adminApiContract.platform`: a platform admin's read-only, time-limited access to one tenant. */
export const platformSupportContract = c.router({
  openSupportSession: {
    method: 'POST',
    path: '/v1/platform/tenants/:customerId/support-sessions',
    pathParams: tenantPathSchema,
    body: openSupportSessionRequestSchema,
    responses: { 201: sessionResponse, ...errorResponses, 409: errorResponseSchema },
    metadata: platformRoute,
    summary: 'Open a read-only support session on a tenant (a reason, at most 60 minutes); 409 when you already have one open there',
  },
  listPlatformSupportSessions: {
    method: 'GET',
    path: '/v1/platform/support-sessions',
    query: z.object({
      customer_id: customerIdSchema.optional(),
      /** true: only sessions open now. */
      open: z.enum(['true', 'false'], { errorMap: () => ({ message: 'open must be true or false' }) }).optional(),
      cursor: cursorSchema.optional(),
      limit: pageLimitSchema,
    }),
    responses: {
      200: z.object({ success: z.literal(true), sessions: z.array(supportSessionSchema), next_cursor: z.string().nullable() }),
      ...errorResponses,
    },
    metadata: platformRoute,
    summary: 'Support sessions across tenants, newest first',
  },
  endPlatformSupportSession: {
    method: 'POST',
    path: '/v1/platform/tenants/:customerId/support-sessions/:sessionId/end',
    pathParams: tenantPathSchema.extend({ sessionId: z.string().uuid('sessionId must be a UUID') }),
    body: z.object({}).strict().optional(),
    responses: { 200: sessionResponse, ...errorResponses, 409: errorResponseSchema },
    metadata: platformRoute,
    summary: 'End your own support session now (403 for another admin’s; 409 when it has already ended or expired)',
  },
});

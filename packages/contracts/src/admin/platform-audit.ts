import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { customerIdSchema } from '../common';
import { cursorSchema, errorResponses, instantQuerySchema, isoDateTime, pageLimitSchema, platformRoute } from './shared';

const c = initContract();

export const platformAuditEntrySchema = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  customer_id: z.number().int().nullable(),
  reason: z.string().nullable(),
  details: z.unknown(),
  created_at: isoDateTime,
});

/** Part of `adminApiContract.platform`: every cross-tenant operation, newest first. */
export const platformAuditContract = c.router({
  listPlatformAuditLog: {
    method: 'GET',
    path: '/v1/platform/audit-log',
    query: z.object({
      /** An admin user id (rows of `admin:<id>`), or a full actor such as `cli:ops`. */
      admin: z.string().trim().min(1).max(200).optional(),
      customer_id: customerIdSchema.optional(),
      /** An action, or a prefix ending in `.` or `*` (`tenant.number.`, `tenant.*`). */
      action: z.string().trim().min(1).max(200).optional(),
      from: instantQuerySchema.optional(),
      to: instantQuerySchema.optional(),
      cursor: cursorSchema.optional(),
      limit: pageLimitSchema,
    }),
    responses: {
      200: z.object({ success: z.literal(true), entries: z.array(platformAuditEntrySchema), next_cursor: z.string().nullable() }),
      ...errorResponses,
    },
    metadata: platformRoute,
    summary: 'The platform audit log, filtered by admin, tenant, action and time',
  },
});

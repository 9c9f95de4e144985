import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { cursorSchema, errorResponses, isoDateTime, pageLimitSchema, tenantPathSchema, tenantPaths, tenantRoute } from './shared';

const c = initContract();

export const auditLogEntrySchema = z.object({
  id: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.unknown(),
  created_at: isoDateTime,
});

/** Part of `adminApiContract.tenant`: the tenant's audit trail. */
export const tenantAuditContract = c.router({
  listAuditLog: {
    method: 'GET',
    path: tenantPaths('/audit-log'),
    pathParams: tenantPathSchema,
    query: z.object({ cursor: cursorSchema.optional(), limit: pageLimitSchema }),
    responses: {
      200: z.object({ success: z.literal(true), entries: z.array(auditLogEntrySchema), next_cursor: z.string().nullable() }),
      ...errorResponses,
    },
    metadata: tenantRoute('admin', 'audit:read'),
    summary: 'The tenant audit trail, newest first',
  },
});

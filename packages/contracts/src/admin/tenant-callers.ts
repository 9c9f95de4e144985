import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { cursorSchema, errorResponses, isoDateTime, pageLimitSchema, tenantPathSchema, tenantPaths, tenantRoute } from './shared';

const c = initContract();

export const callerListItemSchema = z.object({
  id: z.string(),
  phone: z.string(),
  name: z.string().nullable(),
  quick_bio: z.string().nullable(),
  call_count: z.number().int(),
  first_call_at: isoDateTime.nullable(),
  last_call_at: isoDateTime.nullable(),
});

export const callerSummarySchema = z.object({
  call_sid: z.string(),
  summary: z.string(),
  key_topics: z.array(z.string()),
  created_at: isoDateTime,
});

/** Part of `adminApiContract.tenant`: the callers the agent knows and their call summaries. */
export const tenantCallersContract = c.router({
  listCallers: {
    method: 'GET',
    path: tenantPaths('/callers'),
    pathParams: tenantPathSchema,
    query: z.object({ cursor: cursorSchema.optional(), limit: pageLimitSchema }),
    responses: {
      200: z.object({ success: z.literal(true), callers: z.array(callerListItemSchema), next_cursor: z.string().nullable() }),
      ...errorResponses,
    },
    metadata: tenantRoute('viewer', 'callers:read'),
    summary: 'Known callers, most recent call first',
  },
  getCaller: {
    method: 'GET',
    path: tenantPaths('/callers/:callerId'),
    pathParams: tenantPathSchema.extend({ callerId: z.string().uuid('callerId must be a caller id (UUID)') }),
    responses: {
      200: z.object({
        success: z.literal(true),
        caller: callerListItemSchema.extend({ variables: z.record(z.unknown()), recent_summaries: z.array(callerSummarySchema) }),
      }),
      ...errorResponses,
    },
    metadata: tenantRoute('viewer', 'callers:read'),
    summary: 'One caller with their most recent call summaries',
  },
});

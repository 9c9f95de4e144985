import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import {
  cursorSchema,
  errorResponses,
  isoDateTime,
  pageLimitSchema,
  requiredText,
  tenantPathSchema,
  tenantPaths,
  tenantRoute,
} from './shared';

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

const callerPath = tenantPathSchema.extend({ callerId: z.string().uuid('callerId must be a caller id (UUID)') });

export const callerDetailSchema = callerListItemSchema.extend({
  variables: z.record(z.unknown()),
  recent_summaries: z.array(callerSummarySchema),
});

export const updateCallerRequestSchema = z
  .object({
    name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters').nullable().optional(),
    /**
     * Profile fields of the tenant's industry template (its field keys), each a value of the
     * field's type (string, number, boolean, date as YYYY-MM-DD, string[]); null clears a field.
     */
    variables: z.record(z.unknown()).optional(),
  })
  .strict()
  .refine((value) => value.name !== undefined || value.variables !== undefined, { message: 'send name or variables' });

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
    pathParams: callerPath,
    responses: { 200: z.object({ success: z.literal(true), caller: callerDetailSchema }), ...errorResponses },
    metadata: tenantRoute('viewer', 'callers:read'),
    summary: 'One caller with their most recent call summaries',
  },
  updateCaller: {
    method: 'PATCH',
    path: tenantPaths('/callers/:callerId'),
    pathParams: callerPath,
    body: updateCallerRequestSchema,
    responses: { 200: z.object({ success: z.literal(true), caller: callerDetailSchema }), ...errorResponses },
    metadata: tenantRoute('admin', 'callers:write'),
    summary: "Edit a caller's name and profile fields (the template's fields; audited)",
  },
  addCallerNote: {
    method: 'POST',
    path: tenantPaths('/callers/:callerId/notes'),
    pathParams: callerPath,
    body: z.object({ body: requiredText('body', 2000) }).strict(),
    responses: {
      201: z.object({
        success: z.literal(true),
        note: z.object({ id: z.string(), body: z.string(), author: z.string(), created_at: isoDateTime }),
      }),
      ...errorResponses,
    },
    metadata: tenantRoute('admin', 'callers:write'),
    summary: 'Add a staff note about a caller (the agent sees it as a memory on their next call; audited)',
  },
  eraseCaller: {
    method: 'POST',
    path: tenantPaths('/callers/:callerId/erase'),
    pathParams: callerPath,
    body: z
      .object({
        /** The caller's phone number again, exactly as shown: erasure cannot be undone. */
        confirm_phone: z.string({ required_error: "confirm_phone is required: repeat the caller's phone number to confirm" }),
      })
      .strict(),
    responses: {
      200: z.object({
        success: z.literal(true),
        /** Rows deleted per table (memory service's erasure). */
        deleted: z.record(z.number().int()),
      }),
      ...errorResponses,
    },
    metadata: tenantRoute('owner'),
    summary: 'Erase a caller: their profile, memories, summaries and scores (owners only, confirmed by the phone number, audited)',
  },
});

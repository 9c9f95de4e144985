import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { e164PhoneSchema } from '../common';
import {
  cursorSchema,
  errorResponses,
  instantQuerySchema,
  isoDateTime,
  pageLimitSchema,
  tenantPathSchema,
  tenantPaths,
  tenantRoute,
} from './shared';

const c = initContract();

export const callListItemSchema = z.object({
  id: z.string(),
  call_sid: z.string(),
  from_number: z.string(),
  to_number: z.string(),
  status: z.string(),
  outcome: z.string().nullable(),
  started_at: isoDateTime,
  ended_at: isoDateTime.nullable(),
  duration_seconds: z.number().int().nullable(),
});

export const callTurnSchema = z.object({
  turn_index: z.number().int(),
  role: z.enum(['user', 'assistant', 'system']),
  text: z.string(),
  llm_ms: z.number().int().nullable(),
  tts_ms: z.number().int().nullable(),
  total_ms: z.number().int().nullable(),
  created_at: isoDateTime,
});

/**
 * What the memory worker wrote about a call: `pending` while summarization is queued (summary
 * empty), `completed` once written. `extracted` holds the fields the industry template asks for.
 */
export const callSummaryDetailSchema = z.object({
  status: z.enum(['pending', 'completed']),
  summary: z.string(),
  key_topics: z.array(z.string()),
  extracted: z.record(z.unknown()),
  created_at: isoDateTime,
});

/** Part of `adminApiContract.tenant`: the tenant's call log and transcripts. */
export const tenantCallsContract = c.router({
  listCalls: {
    method: 'GET',
    path: tenantPaths('/calls'),
    pathParams: tenantPathSchema,
    query: z.object({
      from: instantQuerySchema.optional(),
      to: instantQuerySchema.optional(),
      caller: e164PhoneSchema.optional(),
      cursor: cursorSchema.optional(),
      limit: pageLimitSchema,
    }),
    responses: {
      200: z.object({ success: z.literal(true), calls: z.array(callListItemSchema), next_cursor: z.string().nullable() }),
      ...errorResponses,
    },
    metadata: tenantRoute('viewer', 'calls:read'),
    summary: 'Calls, newest first; `from` inclusive, `to` exclusive, `caller` = the caller number',
  },
  getCall: {
    method: 'GET',
    path: tenantPaths('/calls/:callId'),
    pathParams: tenantPathSchema.extend({ callId: z.string().uuid('callId must be a call id (UUID)') }),
    responses: {
      200: z.object({ success: z.literal(true), call: callListItemSchema.extend({ turns: z.array(callTurnSchema), summary: callSummaryDetailSchema.nullable() }) }),
      ...errorResponses,
    },
    metadata: tenantRoute('viewer', 'calls:read'),
    summary: 'One call with its transcript turns and its summary (null until the call has one)',
  },
});

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

export const MAX_CALL_STATS_DAYS = 92;

/** One day of calls in the tenant's time zone (calls by the day they started). */
export const callDaySchema = z.object({
  /** YYYY-MM-DD, in the tenant's time zone. */
  date: z.string(),
  calls: z.number().int(),
  /** The summed duration of that day's ended calls. */
  duration_seconds: z.number().int(),
});
export type CallDay = z.infer<typeof callDaySchema>;

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
      200: z.object({
        success: z.literal(true),
        call: callListItemSchema.extend({ turns: z.array(callTurnSchema), summary: callSummaryDetailSchema.nullable() }),
      }),
      ...errorResponses,
    },
    metadata: tenantRoute('viewer', 'calls:read'),
    summary: 'One call with its transcript turns and its summary (null until the call has one)',
  },
  getCallsPerDay: {
    method: 'GET',
    path: tenantPaths('/call-stats/daily'),
    pathParams: tenantPathSchema,
    query: z.object({
      days: z.coerce
        .number({ invalid_type_error: `days must be an integer between 1 and ${MAX_CALL_STATS_DAYS}` })
        .int(`days must be an integer between 1 and ${MAX_CALL_STATS_DAYS}`)
        .min(1, `days must be an integer between 1 and ${MAX_CALL_STATS_DAYS}`)
        .max(MAX_CALL_STATS_DAYS, `days must be an integer between 1 and ${MAX_CALL_STATS_DAYS}`)
        .default(14),
    }),
    responses: {
      200: z.object({
        success: z.literal(true),
        /** The tenant's time zone: the days start at its midnight. */
        time_zone: z.string(),
        /** Every day of the period, oldest first, the last one today (days without calls count 0). */
        days: z.array(callDaySchema),
      }),
      ...errorResponses,
    },
    metadata: tenantRoute('viewer', 'calls:read'),
    summary: "Calls and their talk time per day over the last `days` days (today included), in the tenant's time zone",
  },
});

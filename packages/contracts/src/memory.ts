import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { customerIdSchema, e164PhoneSchema, errorResponseSchema } from './common';
import { healthContract } from './health';

const c = initContract();

// ---------------------------------------------------------------------------------------------
// Personality scales
// ---------------------------------------------------------------------------------------------

/**
 * The fixed set of personality scales the memory worker scores after every call. Each is an
 * integer from 0 to 100; the anchors say what 0 and 100 mean. Per-call scores are stored in
 * personality_metrics and averaged per caller in personality_averages. Adding a scale is a
 * contract change (new key, optional for readers); scales are never renamed or re-anchored.
 */
export const personalityScales = {
  formality: 'How formal the caller speaks: 0 = very casual (slang, first names), 100 = very formal (titles, full sentences).',
  patience: 'How patient the caller is: 0 = interrupts and wants it done now, 100 = calm, happy to wait and repeat.',
  verbosity: 'How much the caller says: 0 = one-word answers, 100 = long, detailed explanations.',
  warmth: 'How friendly the caller is: 0 = cold or hostile, 100 = warm, chatty and appreciative.',
  urgency: 'How urgent the matter feels to the caller: 0 = no rush at all, 100 = an emergency that needs action today.',
  tech_savviness: 'How comfortable the caller is with technology: 0 = needs step-by-step help, 100 = expert, prefers self-service.',
} as const;
export type PersonalityScale = keyof typeof personalityScales;
export const personalityScaleNames = Object.keys(personalityScales) as PersonalityScale[];

const scaleScore = (description: string) => z.number().min(0).max(100).describe(description);

/** One value per scale, 0-100 (per call: integers; averages: decimals). */
export const personalityScoresSchema = z
  .object(
    Object.fromEntries(personalityScaleNames.map((scale) => [scale, scaleScore(personalityScales[scale])])) as Record<
      PersonalityScale,
      z.ZodNumber
    >,
  )
  .describe('Personality scales, each 0-100: ' + personalityScaleNames.join(', '));
export type PersonalityScores = z.infer<typeof personalityScoresSchema>;

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/** One line of a call transcript as the orchestrator recorded it. */
export const conversationTurnSchema = z.object({
  role: z.enum(['caller', 'agent', 'system']),
  text: z.string(),
  at: z.string().datetime().optional(),
});
export type ConversationTurn = z.infer<typeof conversationTurnSchema>;

/** A Twilio CallSid or any other opaque call id (it becomes part of a job id and a unique key). */
const callSidSchema = z.string().min(1, 'call_sid is required').max(64, 'call_sid must be at most 64 characters');

/** customer_id as it arrives in a query string. */
const customerIdQuery = { customer_id: customerIdSchema };

const limitSchema = (max: number, fallback: number) =>
  z.coerce
    .number({ invalid_type_error: `limit must be an integer between 1 and ${max}` })
    .int(`limit must be an integer between 1 and ${max}`)
    .min(1, `limit must be an integer between 1 and ${max}`)
    .max(max, `limit must be an integer between 1 and ${max}`)
    .default(fallback);

const userIdParams = z.object({ user_id: e164PhoneSchema });

const authErrors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema } as const;

export const memoryRecordSchema = z.object({
  id: z.string().uuid(),
  customer_id: z.number().int(),
  user_id: z.string(),
  content: z.string(),
  kind: z.string(),
  metadata: z.record(z.unknown()),
  source_call_sid: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type MemoryRecord = z.infer<typeof memoryRecordSchema>;

export const callSummaryRecordSchema = z.object({
  call_sid: z.string(),
  thread_id: z.string().nullable(),
  summary: z.string(),
  key_topics: z.array(z.string()),
  variables: z.record(z.unknown()),
  /**
   * The changes the call made to the caller's profile, each with the reason from the call. Added
   * after v2.0: optional for readers.
   */
  profile_changes: z
    .array(
      z.object({
        field: z.string(),
        action: z.enum(['set', 'unset']),
        value: z.unknown().optional(),
        reason: z.string(),
      }),
    )
    .optional(),
  created_at: z.string(),
});

export const callerProfileSchema = z.object({
  user_id: z.string(),
  name: z.string().nullable(),
  quick_bio: z.string().nullable(),
  variables: z.record(z.unknown()).describe("The pinned industry template's fields learned about the caller"),
  call_count: z.number().int(),
  first_call_at: z.string().nullable(),
  last_call_at: z.string().nullable(),
  updated_at: z.string(),
});

// ---------------------------------------------------------------------------------------------
// V2: what the orchestrator calls during and after a live call
// ---------------------------------------------------------------------------------------------

export const enrichedContextRequestSchema = z.object({
  customer_id: customerIdSchema,
  user_id: e164PhoneSchema,
});

/** Everything the agent should know about one caller of one tenant, plus a prompt-ready block. */
export const enrichedContextSchema = z.object({
  success: z.literal(true),
  customer_id: z.number().int(),
  user_id: z.string(),
  known_caller: z.boolean(),
  quick_bio: z.string().nullable(),
  recent_summaries: z.array(
    z.object({ call_sid: z.string().nullable(), summary: z.string(), key_topics: z.array(z.string()), created_at: z.string() }),
  ),
  known_facts: z.record(z.unknown()),
  personality: z
    .object({ averages: z.record(z.number()), sample_count: z.number().int() })
    .nullable()
    .describe('Average personality scores over the calls summarized so far (scales: ' + personalityScaleNames.join(', ') + ')'),
  /** Plain text for the system prompt; empty when the caller is unknown. */
  prompt_context: z.string(),
  /**
   * The name on the caller's profile (null when none is stored). The orchestrator checks a caller's
   * spoken name against it before it lets the agent use the rest. Added after v2.0: optional for readers.
   */
  caller_name: z.string().nullable().optional(),
  /** The caller's most recent stored memories (newest first). Added after v2.0: optional for readers. */
  recent_memories: z.array(z.object({ id: z.string(), content: z.string(), kind: z.string(), created_at: z.string() })).optional(),
});
export type EnrichedContext = z.infer<typeof enrichedContextSchema>;

export const processCallRequestSchema = z.object({
  customer_id: customerIdSchema,
  user_id: e164PhoneSchema,
  /** `customer_{customer_id}_user_{E.164 digits}`; must agree with customer_id and user_id. */
  thread_id: z.string().min(1),
  call_sid: callSidSchema,
  conversation_history: z.array(conversationTurnSchema).min(1, 'conversation_history must not be empty'),
});

export const processCallResponseSchema = z.object({
  success: z.literal(true),
  job_id: z.string(),
  status: z.enum(['queued', 'already_queued', 'completed']),
});

export const summariesResponseSchema = z.object({
  success: z.literal(true),
  customer_id: z.number().int(),
  user_id: z.string(),
  summaries: z.array(callSummaryRecordSchema),
});

export const profileResponseSchema = z.object({
  success: z.literal(true),
  customer_id: z.number().int(),
  user_id: z.string(),
  /** null when this tenant has no profile for the caller yet. */
  profile: callerProfileSchema.nullable(),
});

export const personalityResponseSchema = z.object({
  success: z.literal(true),
  customer_id: z.number().int(),
  user_id: z.string(),
  /** The fixed scales and what their 0 and 100 mean. */
  scales: z.record(z.string()),
  /** null when no call of this caller has been summarized yet. */
  averages: personalityScoresSchema.partial().nullable(),
  sample_count: z.number().int(),
  recent: z.array(z.object({ call_sid: z.string(), scores: personalityScoresSchema.partial(), created_at: z.string() })),
});

export const eraseCallerResponseSchema = z.object({
  success: z.literal(true),
  customer_id: z.number().int(),
  user_id: z.string(),
  /** Rows deleted per table, for this tenant only. */
  deleted: z.object({
    memories: z.number().int(),
    call_summaries: z.number().int(),
    caller_profiles: z.number().int(),
    personality_metrics: z.number().int(),
    personality_averages: z.number().int(),
  }),
  /** Queued summarization jobs of the erased calls that were removed from the queue. */
  jobs_removed: z.number().int(),
});

export const queueStatusResponseSchema = z.object({
  success: z.literal(true),
  customer_id: z.number().int(),
  queue: z.string(),
  /** This tenant's jobs by state (completed/failed: as long as the queue retains them). */
  counts: z.object({
    waiting: z.number().int(),
    active: z.number().int(),
    delayed: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
  }),
  recent_failures: z.array(
    z.object({
      job_id: z.string(),
      name: z.string(),
      call_sid: z.string().nullable(),
      failed_reason: z.string(),
      attempts_made: z.number().int(),
      failed_at: z.string().nullable(),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------
// V1 and legacy memory records
// ---------------------------------------------------------------------------------------------

export const storeMemoryRequestSchema = z.object({
  customer_id: customerIdSchema,
  user_id: e164PhoneSchema,
  content: z.string().trim().min(1, 'content must not be empty').max(10_000, 'content must be at most 10000 characters'),
});

export const createMemoryRequestSchema = storeMemoryRequestSchema.extend({
  kind: z.string().trim().min(1).max(50).default('fact'),
  metadata: z.record(z.unknown()).default({}),
  source_call_sid: callSidSchema.optional(),
});

export const memoryListResponseSchema = z.object({
  success: z.literal(true),
  memories: z.array(memoryRecordSchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  next_cursor: z.string().nullable(),
});

/**
 * The memory service's HTTP API, without the health routes. Every route needs a service JWT
 * (issuers: orchestrator, gateway, admin-api, sms) and a customer_id in the query or body that
 * equals the token's: missing → 400 "customer_id is required for multi-tenant security",
 * different → 403, no or bad token → 401. `user_id` is the caller's phone number, normalized
 * to E.164 (invalid → 400).
 */
export const memoryApiContract = c.router({
  enrichedContext: {
    method: 'POST',
    path: '/v2/context/enriched',
    body: enrichedContextRequestSchema,
    responses: { 200: enrichedContextSchema, ...authErrors },
    summary: 'Caller context for the agent: Quick Bio, recent summaries, known facts, personality',
    description:
      'One caller of one tenant. An unknown caller gets known_caller=false and an empty, valid context. ' +
      'Personality averages use the fixed 0-100 scales: ' +
      personalityScaleNames.map((scale) => `${scale} (${personalityScales[scale]})`).join('; '),
  },
  processCall: {
    method: 'POST',
    path: '/v2/process-call',
    body: processCallRequestSchema,
    responses: {
      202: processCallResponseSchema,
      ...authErrors,
      409: errorResponseSchema,
      503: errorResponseSchema,
    },
    summary: 'Store a finished call transcript and enqueue its summarization',
    description:
      'Writes the transcript first, then enqueues job `process-call:<customer_id>:<call_sid>`. Posting the same call ' +
      'again changes nothing and answers already_queued (or completed once summarized); the same call_sid for a ' +
      'different caller is a 409.',
  },
  summaries: {
    method: 'GET',
    path: '/v2/summaries/:user_id',
    pathParams: userIdParams,
    query: z.object({ ...customerIdQuery, limit: limitSchema(100, 20) }),
    responses: { 200: summariesResponseSchema, ...authErrors },
    summary: "The caller's summarized calls, newest first",
  },
  profile: {
    method: 'GET',
    path: '/v2/profile/:user_id',
    pathParams: userIdParams,
    query: z.object(customerIdQuery),
    responses: { 200: profileResponseSchema, ...authErrors },
    summary: "The caller's profile: name, template variables, Quick Bio, call counts",
  },
  personality: {
    method: 'GET',
    path: '/v2/personality/:user_id',
    pathParams: userIdParams,
    query: z.object({ ...customerIdQuery, limit: limitSchema(50, 10) }),
    responses: { 200: personalityResponseSchema, ...authErrors },
    summary: "The caller's personality averages and recent per-call scores",
    description: 'Scales (0-100): ' + personalityScaleNames.map((scale) => `${scale}: ${personalityScales[scale]}`).join(' '),
  },
  eraseCaller: {
    method: 'DELETE',
    path: '/v2/callers/:user_id',
    pathParams: userIdParams,
    query: z.object(customerIdQuery),
    body: c.noBody(),
    responses: { 200: eraseCallerResponseSchema, ...authErrors },
    summary: "Privacy erasure: delete one caller's memories, summaries, profile and metrics for this tenant only",
  },
  queueStatus: {
    method: 'GET',
    path: '/v2/jobs',
    query: z.object({ ...customerIdQuery, limit: limitSchema(100, 20) }),
    responses: { 200: queueStatusResponseSchema, ...authErrors },
    summary: "This tenant's summarization jobs: counts by state and the most recent failures",
  },
  listUserMemories: {
    method: 'GET',
    path: '/v1/memories/user/:user_id',
    pathParams: userIdParams,
    query: z.object({ ...customerIdQuery, limit: limitSchema(200, 50) }),
    responses: { 200: memoryListResponseSchema, ...authErrors },
    summary: "The caller's memories, newest first (first page; use GET /v1/memories to page)",
  },
  listMemories: {
    method: 'GET',
    path: '/v1/memories',
    query: z.object({
      ...customerIdQuery,
      user_id: e164PhoneSchema.optional(),
      limit: limitSchema(200, 50),
      cursor: z.string().max(200).optional(),
    }),
    responses: { 200: memoryListResponseSchema, ...authErrors },
    summary: "The tenant's memories (optionally one caller's), newest first, cursor-paginated",
  },
  createMemory: {
    method: 'POST',
    path: '/v1/memories',
    body: createMemoryRequestSchema,
    responses: { 201: z.object({ success: z.literal(true), memory: memoryRecordSchema }), ...authErrors },
    summary: 'Store one memory about a caller',
  },
  deleteMemory: {
    method: 'DELETE',
    path: '/v1/memories/:id',
    pathParams: z.object({ id: z.string().uuid('id must be a UUID') }),
    query: z.object(customerIdQuery),
    body: c.noBody(),
    responses: {
      200: z.object({ success: z.literal(true), id: z.string() }),
      ...authErrors,
      404: errorResponseSchema,
    },
    summary: 'Delete one memory of this tenant',
  },
  legacyStore: {
    method: 'POST',
    path: '/memory/store',
    body: storeMemoryRequestSchema,
    responses: { 200: z.object({ success: z.literal(true), id: z.string(), error: z.null() }), ...authErrors },
    summary: 'Legacy: store one memory (the original API shape)',
  },
});

/**
 * The memory service's HTTP API as clients see it: the routes above plus the health routes.
 * `enrichedContext` and `processCall` are what the orchestrator calls during a live call.
 */
export const memoryContract = c.router({
  health: healthContract,
  ...memoryApiContract,
});

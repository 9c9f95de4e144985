import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { customerIdSchema, e164PhoneSchema, errorResponseSchema } from './common';
import { healthContract } from './health';

const c = initContract();

/** One line of a call transcript as the orchestrator recorded it. */
export const conversationTurnSchema = z.object({
  role: z.enum(['caller', 'agent', 'system']),
  text: z.string(),
  at: z.string().datetime().optional(),
});
export type ConversationTurn = z.infer<typeof conversationTurnSchema>;

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
    .nullable(),
  /** Plain text for the system prompt; empty when the caller is unknown. */
  prompt_context: z.string(),
});
export type EnrichedContext = z.infer<typeof enrichedContextSchema>;

export const processCallRequestSchema = z.object({
  customer_id: customerIdSchema,
  user_id: e164PhoneSchema,
  thread_id: z.string().min(1),
  call_sid: z.string().min(1),
  conversation_history: z.array(conversationTurnSchema).min(1, 'conversation_history must not be empty'),
});

/**
 * The memory service's HTTP API. Every route needs a service JWT whose customer_id matches the
 * request's customer_id (see packages/auth). The memory team extends this router; the two routes
 * below are what the orchestrator calls during a live call.
 */
export const memoryContract = c.router({
  health: healthContract,
  enrichedContext: {
    method: 'POST',
    path: '/v2/context/enriched',
    body: enrichedContextRequestSchema,
    responses: { 200: enrichedContextSchema, 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema },
    summary: 'Caller context for the agent: Quick Bio, recent summaries, known facts, personality',
  },
  processCall: {
    method: 'POST',
    path: '/v2/process-call',
    body: processCallRequestSchema,
    responses: {
      202: z.object({ success: z.literal(true), job_id: z.string(), status: z.enum(['queued', 'already_queued', 'completed']) }),
      400: errorResponseSchema,
      401: errorResponseSchema,
      403: errorResponseSchema,
    },
    summary: 'Store a finished call transcript and enqueue its summarization',
  },
});

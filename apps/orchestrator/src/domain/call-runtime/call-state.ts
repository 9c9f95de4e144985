import type { RedisClient } from '@neurosphere/http';
import { z } from 'zod';
import { withTimeout } from '../../lib/timeout';
import { tenantSnapshotSchema } from '../tenants/tenant-snapshot';

/** One line of the conversation as it happened, with the timings of the agent's answers. */
export const transcriptTurnSchema = z.object({
  role: z.enum(['caller', 'agent', 'system']),
  text: z.string(),
  at: z.string(),
  /** Speech recognition's confidence in a caller's line (0-1), when Twilio gave one. */
  confidence: z.number().min(0).max(1).optional(),
  llmMs: z.number().int().nonnegative().optional(),
  ttsMs: z.number().int().nonnegative().optional(),
  totalMs: z.number().int().nonnegative().optional(),
});
export type TranscriptTurn = z.infer<typeof transcriptTurnSchema>;

/** How the call ended for the business; written to calls.outcome. */
export const callOutcomeSchema = z.enum([
  'completed',
  'transferred',
  /** A transfer went unanswered and no message was taken afterwards. */
  'transfer_failed',
  'message_taken',
  'callback_requested',
  'no_response',
  'failed',
  'abandoned',
]);
export type CallOutcome = z.infer<typeof callOutcomeSchema>;

/** A transfer outranks a message, which outranks a plain ending; on a tie the earlier outcome stays. */
export function mergeOutcome(current: CallOutcome | null, next: CallOutcome): CallOutcome {
  const rank: Record<CallOutcome, number> = {
    transferred: 5,
    message_taken: 4,
    callback_requested: 4,
    transfer_failed: 3,
    completed: 2,
    failed: 1,
    no_response: 1,
    abandoned: 0,
  };
  return current && rank[current] >= rank[next] ? current : next;
}

/**
 * What memory knows about the caller, fetched once at call start (empty when memory did not
 * answer or the caller id is withheld). `promptContext` and the facts reach the model only once
 * the caller is verified (or the tenant's policy is `none`); before that the prompt says no more
 * than that the number has called before.
 */
export const callerContextSchema = z.object({
  knownCaller: z.boolean(),
  promptContext: z.string(),
  /** The name on the caller's profile: what verify_caller compares the spoken name with. */
  name: z.string().nullable().default(null),
  /** Stored details a caller may name to prove who they are (label and value; never sent to the model before verification). */
  facts: z.array(z.object({ label: z.string(), value: z.string() })).default([]),
});
export type CallerContext = z.output<typeof callerContextSchema>;

/**
 * Whether the agent may use what is stored about the caller: `not_needed` (nothing stored, a
 * withheld number, or the tenant's policy is `none`), `unverified` (stored details are locked),
 * `verified` (verify_caller matched), `locked` (too many failed attempts: locked for this call).
 */
export const callerVerificationSchema = z.object({
  status: z.enum(['not_needed', 'unverified', 'verified', 'locked']),
  failedAttempts: z.number().int().nonnegative(),
});
export type CallerVerification = z.output<typeof callerVerificationSchema>;

/**
 * A side effect a tool already caused in this call, by the hash of the tool and its normalized
 * arguments: the same request again (the caller repeating themselves after a turn that timed out)
 * is answered as done instead of done twice. Saved as soon as the effect happens, not at the end of
 * the turn.
 */
export const toolEffectSchema = z.object({ key: z.string(), tool: z.string(), at: z.string() });

/**
 * How a call ended, as Twilio reported it (status callback or Calls resource). Kept in the call
 * state when PostgreSQL was down at the end (the finish-call job saves the log from it later).
 */
export const callEndSchema = z.object({
  /** Twilio's final CallStatus. */
  status: z.string(),
  durationSeconds: z.number().int().nonnegative().optional(),
  endedAt: z.string(),
});
export type CallEnd = z.output<typeof callEndSchema>;

/**
 * Everything a turn needs, in Redis under `call:{<customerId>}:<callSid>` (the braces keep one
 * tenant's keys in one Redis Cluster slot). The tenant is part of the key, so a token for another
 * tenant never finds this call, and the stored customerId is checked again on every read.
 * Fields added after the first release have defaults: a state written by the previous release
 * still loads during a rolling deploy.
 */
export const callStateSchema = z.object({
  version: z.literal(1),
  customerId: z.number().int().positive(),
  callSid: z.string(),
  /** The caller's E.164 number; null when the caller id is withheld (then nothing is remembered or texted). */
  callerPhone: z.string().nullable(),
  calledPhone: z.string(),
  startedAt: z.string(),
  tenant: tenantSnapshotSchema,
  callerContext: callerContextSchema,
  verification: callerVerificationSchema.default({ status: 'not_needed', failedAttempts: 0 }),
  /** The business was closed when the call started (after-hours greeting and behaviour). */
  afterHours: z.boolean().default(false),
  turns: z.array(transcriptTurnSchema),
  /** Consecutive silent gathers (or gathers where nothing was recognized). */
  silenceCount: z.number().int().nonnegative(),
  /** Consecutive turns the model could not answer. */
  llmFailureCount: z.number().int().nonnegative(),
  /** `taking_message`: the next thing the caller says is stored as a message, without the model. */
  mode: z.enum(['conversation', 'taking_message']),
  /** A transfer went unanswered: no second transfer, and messages taken now say so. */
  transferFailed: z.boolean().default(false),
  toolEffects: z.array(toolEffectSchema).default([]),
  outcome: callOutcomeSchema.nullable(),
  usage: z.object({ llmTokens: z.number().int().nonnegative(), ttsCharacters: z.number().int().nonnegative() }),
  /** Set when the call ended but its log could not be saved yet (the outbox in Redis). */
  end: callEndSchema.nullable().default(null),
});
export type CallState = z.output<typeof callStateSchema>;

export function callStateKey(customerId: number, callSid: string): string {
  return `call:{${customerId}}:${callSid}`;
}

/** The stored state could not be read back as a call state (never expected; treated like a Redis failure). */
export class CorruptCallStateError extends Error {
  override readonly name = 'CorruptCallStateError';
}

export interface CallStateStore {
  load(options: { customerId: number; callSid: string; timeoutMs: number }): Promise<CallState | null>;
  /**
   * Writes the state and refreshes its TTL. `existingOnly`: a turn finishing after the call ended
   * (endCall removed the state) must not bring it back. Returns false when nothing was written.
   */
  save(options: { state: CallState; timeoutMs: number; existingOnly?: boolean }): Promise<boolean>;
  remove(options: { customerId: number; callSid: string; timeoutMs: number }): Promise<void>;
}

export function createCallStateStore(options: { redis: RedisClient; ttlSeconds: number }): CallStateStore {
  const { redis, ttlSeconds } = options;
  return {
    async load({ customerId, callSid, timeoutMs }) {
      const raw = await withTimeout('load call state', timeoutMs, () => redis.get(callStateKey(customerId, callSid)));
      if (raw === null) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch (error) {
        throw new CorruptCallStateError(`call state ${callSid} is not JSON`, { cause: error });
      }
      const state = callStateSchema.safeParse(parsed);
      if (!state.success) throw new CorruptCallStateError(`call state ${callSid} does not match the schema`);
      // Belt and braces: the key already carries the tenant.
      if (state.data.customerId !== customerId || state.data.callSid !== callSid) return null;
      return state.data;
    },
    async save({ state, timeoutMs, existingOnly = false }) {
      // TTL refreshed on every save: a call lives as long as it keeps talking, plus ttlSeconds.
      const key = callStateKey(state.customerId, state.callSid);
      const value = JSON.stringify(state);
      const written = await withTimeout('save call state', timeoutMs, () =>
        existingOnly ? redis.set(key, value, 'EX', ttlSeconds, 'XX') : redis.set(key, value, 'EX', ttlSeconds),
      );
      return written === 'OK';
    },
    async remove({ customerId, callSid, timeoutMs }) {
      await withTimeout('remove call state', timeoutMs, () => redis.del(callStateKey(customerId, callSid)));
    },
  };
}

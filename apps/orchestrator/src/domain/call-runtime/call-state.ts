import type { RedisClient } from '@neurosphere/http';
import { z } from 'zod';
import { withTimeout } from '../../lib/timeout';
import { tenantSnapshotSchema } from '../tenants/tenant-snapshot';

/** One line of the conversation as it happened, with the timings of the agent's answers. */
export const transcriptTurnSchema = z.object({
  role: z.enum(['caller', 'agent', 'system']),
  text: z.string(),
  at: z.string(),
  llmMs: z.number().int().nonnegative().optional(),
  ttsMs: z.number().int().nonnegative().optional(),
  totalMs: z.number().int().nonnegative().optional(),
});
export type TranscriptTurn = z.infer<typeof transcriptTurnSchema>;

/** How the call ended for the business; written to calls.outcome. */
export const callOutcomeSchema = z.enum([
  'completed',
  'transferred',
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
    completed: 2,
    failed: 1,
    no_response: 1,
    abandoned: 0,
  };
  return current && rank[current] >= rank[next] ? current : next;
}

/**
 * Everything a turn needs, in Redis under `call:{<customerId>}:<callSid>` (the braces keep one
 * tenant's keys in one Redis Cluster slot). The tenant is part of the key, so a token for another
 * tenant never finds this call, and the stored customerId is checked again on every read.
 */
export const callStateSchema = z.object({
  version: z.literal(1),
  customerId: z.number().int().positive(),
  callSid: z.string(),
  callerPhone: z.string(),
  calledPhone: z.string(),
  startedAt: z.string(),
  tenant: tenantSnapshotSchema,
  /** From memory's enriched context, fetched once at call start; empty when memory did not answer. */
  callerContext: z.object({ knownCaller: z.boolean(), promptContext: z.string() }),
  turns: z.array(transcriptTurnSchema),
  /** Consecutive silent gathers. */
  silenceCount: z.number().int().nonnegative(),
  /** Consecutive turns the model could not answer. */
  llmFailureCount: z.number().int().nonnegative(),
  /** `taking_message`: the model is unavailable, so the next thing the caller says is stored as a message. */
  mode: z.enum(['conversation', 'taking_message']),
  outcome: callOutcomeSchema.nullable(),
  usage: z.object({ llmTokens: z.number().int().nonnegative(), ttsCharacters: z.number().int().nonnegative() }),
});
export type CallState = z.infer<typeof callStateSchema>;

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

import { Prisma, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { withTimeout } from '../../lib/timeout';
import type { CallOutcome, CallState } from '../call-runtime/call-state';
import { WITHHELD_CALLER_NUMBER } from '../messages/record-caller-message';

export interface SaveCallLogOptions {
  db: Db;
  /** The call as Redis kept it; its customerId is the tenant every row is written for. */
  state: CallState;
  /** Twilio's final CallStatus. */
  status: string;
  durationSeconds: number | undefined;
  timeoutMs: number;
}

const ROLE_BY_SPEAKER = { caller: 'user', agent: 'assistant', system: 'system' } as const;

/**
 * Writes the call, its turns (with per-turn LLM/TTS/total timings) and its metered usage in one
 * withTenant transaction. Safe to repeat (Twilio retries status callbacks): the call is upserted
 * on (customer_id, call_sid), turns on (customer_id, call_id, turn_index), usage on its
 * idempotency key. Returns the call's id and whether memory already has its transcript.
 */
export async function saveCallLog(options: SaveCallLogOptions): Promise<{ callId: string; transcriptSubmittedAt: Date | null }> {
  const { db, state, status, timeoutMs } = options;
  const { customerId, callSid } = state;
  const endedAt = new Date();
  const startedAt = new Date(state.startedAt);
  const durationSeconds = options.durationSeconds ?? Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000));
  const outcome = finalOutcome(state);

  return withTimeout('save call log', timeoutMs, () =>
    withTenant(
      db,
      customerId,
      async (tx) => {
        const call = await tx.call.upsert({
          where: { customerId_callSid: { customerId, callSid } },
          create: {
            customerId,
            callSid,
            fromNumber: state.callerPhone ?? WITHHELD_CALLER_NUMBER,
            toNumber: state.calledPhone,
            status,
            startedAt,
            endedAt,
            durationSeconds,
            outcome,
          },
          // A repeated callback may carry a later status, never a different call.
          update: { status, durationSeconds, outcome },
          select: { id: true, transcriptSubmittedAt: true },
        });
        await tx.callTurn.createMany({
          data: state.turns.map((turn, turnIndex) => ({
            customerId,
            callId: call.id,
            turnIndex,
            role: ROLE_BY_SPEAKER[turn.role],
            text: turn.text,
            llmMs: turn.llmMs ?? null,
            ttsMs: turn.ttsMs ?? null,
            totalMs: turn.totalMs ?? null,
            createdAt: new Date(turn.at),
          })),
          skipDuplicates: true,
        });
        const usage = [
          { kind: 'call_minutes', quantity: new Prisma.Decimal(durationSeconds).div(60).toDecimalPlaces(4) },
          { kind: 'llm_tokens', quantity: new Prisma.Decimal(state.usage.llmTokens) },
          { kind: 'tts_chars', quantity: new Prisma.Decimal(state.usage.ttsCharacters) },
        ].filter((record) => !record.quantity.isZero());
        await tx.usageRecord.createMany({
          data: usage.map((record) => ({
            customerId,
            kind: record.kind,
            quantity: record.quantity,
            callSid,
            occurredAt: endedAt,
            idempotencyKey: `call:${callSid}:${record.kind}`,
          })),
          skipDuplicates: true,
        });
        return { callId: call.id, transcriptSubmittedAt: call.transcriptSubmittedAt };
      },
      { maxWait: timeoutMs, timeout: timeoutMs },
    ),
  );
}

function finalOutcome(state: CallState): CallOutcome {
  if (state.outcome) return state.outcome;
  return state.turns.some((turn) => turn.role === 'caller') ? 'completed' : 'abandoned';
}

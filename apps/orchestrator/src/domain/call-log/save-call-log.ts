import { Prisma, withTenant } from '@neurosphere/db';
import type { Db, TenantTx } from '@neurosphere/db';
import { withTimeout } from '../../lib/timeout';
import type { CallEnd, CallOutcome, CallState } from '../call-runtime/call-state';
import { WITHHELD_CALLER_NUMBER } from '../messages/record-caller-message';

export interface SaveCallLogOptions {
  db: Db;
  /** The tenant every row is written for. */
  customerId: number;
  callSid: string;
  /**
   * The call as Redis kept it; null when it is gone (expired, or the call never got that far):
   * then only an open (or outbox) row is closed, without turns.
   */
  state: CallState | null;
  end: CallEnd;
  timeoutMs: number;
}

export interface SavedCallLog {
  callId: string;
  transcriptSubmittedAt: Date | null;
}

const ROLE_BY_SPEAKER = { caller: 'user', agent: 'assistant', system: 'system' } as const;

/**
 * Writes the call's end, its turns (with per-turn LLM/TTS/total timings) and its metered usage in
 * one withTenant transaction. Safe to repeat (a late status callback after the reaper, a retried
 * job): the call is upserted on (customer_id, call_sid) and keeps its first ended_at, turns are
 * keyed on (customer_id, call_id, turn_index), usage on its idempotency key. Returns null when
 * there is nothing to save: no state and no row still waiting for its end.
 */
export async function saveCallLog(options: SaveCallLogOptions): Promise<SavedCallLog | null> {
  const { db, customerId, callSid, state, end, timeoutMs } = options;
  return withTimeout('save call log', timeoutMs, () =>
    withTenant(
      db,
      customerId,
      async (tx) => {
        const existing = await tx.call.findUnique({
          where: { customerId_callSid: { customerId, callSid } },
          select: { startedAt: true, endedAt: true, finishPending: true, outcome: true },
        });
        if (!state && (!existing || (existing.endedAt !== null && !existing.finishPending))) return null;

        const startedAt = state ? new Date(state.startedAt) : existing!.startedAt;
        const endedAt = existing?.endedAt ?? new Date(end.endedAt);
        const durationSeconds = end.durationSeconds ?? Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000));
        const outcome = state ? finalOutcome(state) : ((existing?.outcome as CallOutcome | null) ?? 'abandoned');
        const closing = { status: end.status, endedAt, durationSeconds, outcome, finishPending: false };
        const call = await tx.call.upsert({
          where: { customerId_callSid: { customerId, callSid } },
          create: {
            customerId,
            callSid,
            fromNumber: state?.callerPhone ?? WITHHELD_CALLER_NUMBER,
            toNumber: state?.calledPhone ?? '',
            startedAt,
            ...closing,
          },
          update: closing,
          select: { id: true, transcriptSubmittedAt: true },
        });
        if (state) await saveTurns(tx, { customerId, callId: call.id, state });
        const usage = [
          { kind: 'call_minutes', quantity: new Prisma.Decimal(durationSeconds).div(60).toDecimalPlaces(4) },
          { kind: 'llm_tokens', quantity: new Prisma.Decimal(state?.usage.llmTokens ?? 0) },
          { kind: 'tts_chars', quantity: new Prisma.Decimal(state?.usage.ttsCharacters ?? 0) },
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

async function saveTurns(tx: TenantTx, options: { customerId: number; callId: string; state: CallState }): Promise<void> {
  const { customerId, callId, state } = options;
  await tx.callTurn.createMany({
    data: state.turns.map((turn, turnIndex) => ({
      customerId,
      callId,
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
}

function finalOutcome(state: CallState): CallOutcome {
  if (state.outcome) return state.outcome;
  return state.turns.some((turn) => turn.role === 'caller') ? 'completed' : 'abandoned';
}

/**
 * The open row of a call just answered (ended_at null), so a call whose end never arrives is still
 * found by the reaper. Repeating it is harmless.
 */
export async function recordCallStart(options: {
  db: Db;
  customerId: number;
  callSid: string;
  callerPhone: string | null;
  calledPhone: string;
  startedAt: Date;
  timeoutMs: number;
}): Promise<void> {
  const { db, customerId, callSid, timeoutMs } = options;
  await withTimeout('record call start', timeoutMs, () =>
    withTenant(
      db,
      customerId,
      (tx) =>
        tx.call.createMany({
          data: [
            {
              customerId,
              callSid,
              fromNumber: options.callerPhone ?? WITHHELD_CALLER_NUMBER,
              toNumber: options.calledPhone,
              status: 'in-progress',
              startedAt: options.startedAt,
            },
          ],
          skipDuplicates: true,
        }),
      { maxWait: timeoutMs, timeout: timeoutMs },
    ),
  );
}

/**
 * The outbox when Redis (the call's turns) is unreachable at the end: the end is recorded on the
 * open row with finish_pending, and the reaper finishes the log once Redis answers again. Returns
 * false when there is no row to record it on (its start was never recorded).
 */
export async function recordPendingEnd(options: {
  db: Db;
  customerId: number;
  callSid: string;
  end: CallEnd;
  timeoutMs: number;
}): Promise<boolean> {
  const { db, customerId, callSid, end, timeoutMs } = options;
  const { count } = await withTimeout('record pending end', timeoutMs, () =>
    withTenant(
      db,
      customerId,
      (tx) =>
        tx.call.updateMany({
          where: { customerId, callSid, endedAt: null },
          data: {
            status: end.status,
            endedAt: new Date(end.endedAt),
            ...(end.durationSeconds === undefined ? {} : { durationSeconds: end.durationSeconds }),
            finishPending: true,
          },
        }),
      { maxWait: timeoutMs, timeout: timeoutMs },
    ),
  );
  return count === 1;
}

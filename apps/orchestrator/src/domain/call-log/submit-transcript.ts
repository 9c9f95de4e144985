import { normalizePhone } from '@neurosphere/contracts';
import type { ConversationTurn } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { UpstreamError } from '@neurosphere/http';
import type { MemoryClient } from '../../clients/memory-client';
import { withTimeout } from '../../lib/timeout';
import type { Dependency } from '../../observability/metrics';

export interface SubmitTranscriptOptions {
  db: Db;
  memory: MemoryClient;
  /** The call's tenant: the log is read, and memory called, for it alone. */
  customerId: number;
  callSid: string;
  databaseTimeoutMs: number;
  memoryTimeoutMs: number;
}

export type SubmitTranscriptResult = 'submitted' | 'already_submitted' | 'nothing_to_submit' | 'unknown_call';

const SPEAKER_BY_ROLE = { user: 'caller', assistant: 'agent', system: 'system' } as const;

/** memory's thread id for one caller of one tenant. */
export function callerThreadId(customerId: number, callerPhone: string): string {
  return `customer_${customerId}_user_${callerPhone.replace(/\D/g, '')}`;
}

/**
 * Hands a saved call's transcript to memory's process-call and stamps
 * calls.transcript_submitted_at. It reads the transcript from PostgreSQL (not Redis), so it can be
 * retried long after the call state expired; memory is idempotent per (customer, call), and the
 * stamp makes this a no-op once memory has it. Calls where the caller never spoke are not sent.
 * Memory's failures are UpstreamErrors; anything else is PostgreSQL's (submitTranscriptDependency).
 */
export async function submitTranscript(options: SubmitTranscriptOptions): Promise<SubmitTranscriptResult> {
  const { db, customerId, callSid, databaseTimeoutMs } = options;
  const call = await withTimeout('read call log', databaseTimeoutMs, () =>
    withTenant(
      db,
      customerId,
      (tx) =>
        tx.call.findUnique({
          where: { customerId_callSid: { customerId, callSid } },
          select: {
            id: true,
            fromNumber: true,
            transcriptSubmittedAt: true,
            turns: { orderBy: { turnIndex: 'asc' }, select: { role: true, text: true, createdAt: true } },
          },
        }),
      { maxWait: databaseTimeoutMs, timeout: databaseTimeoutMs },
    ),
  );
  if (!call) return 'unknown_call';
  if (call.transcriptSubmittedAt) return 'already_submitted';
  // Memory is per caller number: a withheld number has nobody to remember, and a silent call nothing to tell.
  if (!call.turns.some((turn) => turn.role === 'user') || !normalizePhone(call.fromNumber)) return 'nothing_to_submit';

  const conversation: ConversationTurn[] = call.turns.map((turn) => ({
    role: SPEAKER_BY_ROLE[turn.role],
    text: turn.text,
    at: turn.createdAt.toISOString(),
  }));
  await options.memory.processCall({
    customerId,
    callSid,
    callerPhone: call.fromNumber,
    threadId: callerThreadId(customerId, call.fromNumber),
    conversation,
    timeoutMs: options.memoryTimeoutMs,
  });
  await withTimeout('stamp transcript submitted', databaseTimeoutMs, () =>
    withTenant(
      db,
      customerId,
      (tx) => tx.call.update({ where: { customerId_id: { customerId, id: call.id } }, data: { transcriptSubmittedAt: new Date() } }),
      { maxWait: databaseTimeoutMs, timeout: databaseTimeoutMs },
    ),
  );
  return 'submitted';
}

/** The dependency behind a submitTranscript failure, for the failure counter. */
export function submitTranscriptDependency(error: unknown): Dependency {
  return error instanceof UpstreamError ? 'memory' : 'postgres';
}

import { saveCallLog } from '../call-log/save-call-log';
import { submitTranscript, submitTranscriptDependency } from '../call-log/submit-transcript';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallEnd, CallState } from '../call-runtime/call-state';

export interface FinishCallLogOptions {
  runtime: CallRuntime;
  customerId: number;
  callSid: string;
  /** The call's Redis state, or null when it is gone. */
  state: CallState | null;
  end: CallEnd;
}

export type FinishCallLogResult = 'saved' | 'already_saved' | 'unknown_call';

/** PostgreSQL did not take the call log (the caller decides where the end waits meanwhile). */
export class CallLogUnavailableError extends Error {
  override readonly name = 'CallLogUnavailableError';
}

/**
 * The end of a call, wherever it was learned (status callback, outbox, reaper): save its log for
 * the tenant (one transaction, idempotent), drop its Redis state, then hand the transcript to
 * memory. When memory does not accept it now, calls.transcript_submitted_at stays null and a
 * retry job (deterministic id per tenant and call) submits it from the log later; memory keeps one
 * summary per call, so a second finish (a late callback after the reaper) summarizes nothing twice.
 */
export async function finishCallLog(options: FinishCallLogOptions): Promise<FinishCallLogResult> {
  const { runtime, customerId, callSid, state, end } = options;
  const { settings, failures, logger } = runtime;

  let saved;
  try {
    saved = await saveCallLog({ db: runtime.db, customerId, callSid, state, end, timeoutMs: settings.databaseTimeoutMs });
  } catch (error) {
    failures.dependencyFailed({ dependency: 'postgres', error, customerId, callSid, operation: 'save call log' });
    throw new CallLogUnavailableError('The call log could not be saved', { cause: error });
  }
  if (state) {
    await runtime.callStates.remove({ customerId, callSid, timeoutMs: settings.redisTimeoutMs }).catch((error: unknown) => {
      // Harmless: the state expires on its own, and saving it again changes nothing.
      failures.dependencyFailed({ dependency: 'redis', error, customerId, callSid, operation: 'remove call state' });
    });
  }

  try {
    const submitted = await submitTranscript({
      db: runtime.db,
      memory: runtime.memory,
      customerId,
      callSid,
      databaseTimeoutMs: settings.databaseTimeoutMs,
      memoryTimeoutMs: settings.memorySubmitTimeoutMs,
    });
    if (submitted === 'unknown_call') {
      logger.warn({ customer_id: customerId, callSid }, 'call ended that was never started here (or whose state expired)');
      return 'unknown_call';
    }
  } catch (error) {
    failures.dependencyFailed({
      dependency: submitTranscriptDependency(error),
      error,
      customerId,
      callSid,
      operation: 'submit transcript',
    });
    try {
      await runtime.transcriptRetries.schedule({ customerId, callSid });
    } catch (scheduleError) {
      failures.dependencyFailed({ dependency: 'redis', error: scheduleError, customerId, callSid, operation: 'schedule transcript retry' });
      logger.error(
        { customer_id: customerId, callSid },
        'transcript not submitted and no retry scheduled; calls.transcript_submitted_at stays null',
      );
    }
  }
  return saved ? 'saved' : 'already_saved';
}

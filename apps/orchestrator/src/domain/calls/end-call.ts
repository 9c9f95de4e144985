import { AppError } from '@neurosphere/http';
import { saveCallLog } from '../call-log/save-call-log';
import { submitTranscript, submitTranscriptDependency } from '../call-log/submit-transcript';
import type { CallRuntime } from '../call-runtime/call-runtime';

export interface EndCallOptions {
  runtime: CallRuntime;
  /** The tenant, from the verified service token. */
  customerId: number;
  callSid: string;
  /** Twilio's CallStatus. */
  status: string;
  durationSeconds?: number;
}

/** Twilio statuses after which nothing more happens on the call. */
const FINAL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export type EndCallResult = 'ignored' | 'saved' | 'already_saved' | 'unknown_call';

/**
 * The call is over: save its log for the tenant (PostgreSQL, one transaction, idempotent), drop
 * its Redis state, then hand the transcript to memory. The log is the durable record: when memory
 * does not accept the transcript now, calls.transcript_submitted_at stays null and a retry job
 * (deterministic id per tenant and call) submits it from the log later. Repeating the request is
 * harmless at every step.
 */
export async function endCall(options: EndCallOptions): Promise<EndCallResult> {
  const { runtime, customerId, callSid } = options;
  const { settings, failures, logger } = runtime;
  if (!FINAL_STATUSES.has(options.status)) return 'ignored';

  let state;
  try {
    state = await runtime.callStates.load({ customerId, callSid, timeoutMs: settings.redisTimeoutMs });
  } catch (error) {
    failures.dependencyFailed({ dependency: 'redis', error, customerId, callSid, operation: 'load call state at end' });
    throw new AppError('UNAVAILABLE', 'Call state is unavailable; retry the status callback', { cause: error });
  }

  let result: EndCallResult = 'already_saved';
  if (state) {
    try {
      await saveCallLog({
        db: runtime.db,
        state,
        status: options.status,
        durationSeconds: options.durationSeconds,
        timeoutMs: settings.databaseTimeoutMs,
      });
    } catch (error) {
      // The state stays in Redis (until its TTL), so a repeated callback can still save it.
      failures.dependencyFailed({ dependency: 'postgres', error, customerId, callSid, operation: 'save call log' });
      throw new AppError('UNAVAILABLE', 'The call log could not be saved; retry the status callback', { cause: error });
    }
    result = 'saved';
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
    failures.dependencyFailed({ dependency: submitTranscriptDependency(error), error, customerId, callSid, operation: 'submit transcript' });
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
  return result;
}

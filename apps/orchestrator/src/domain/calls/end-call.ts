import { AppError } from '@neurosphere/http';
import { recordPendingEnd } from '../call-log/save-call-log';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallEnd, CallState } from '../call-runtime/call-state';
import { finishCallLog, CallLogUnavailableError } from './finish-call-log';
import type { FinishCallLogResult } from './finish-call-log';

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
export const FINAL_CALL_STATUSES: ReadonlySet<string> = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** `deferred`: a store was down; the end is kept in the other one and the log is finished later. */
export type EndCallResult = 'ignored' | 'deferred' | FinishCallLogResult;

/**
 * The call is over (Twilio's status callback): save its log and hand the transcript to memory
 * (finishCallLog). Nothing is lost when one store is down at this moment: with Redis (the turns)
 * unreachable the end is recorded on the call's PostgreSQL row (finish_pending, which the reaper
 * retries); with PostgreSQL unreachable it is kept in the call's Redis state and a finish-call job
 * saves it once PostgreSQL is back. Only with both down does the request fail (the reaper still
 * finds the open row later and asks Twilio). Repeating the request is harmless at every step.
 */
export async function endCall(options: EndCallOptions): Promise<EndCallResult> {
  const { runtime, customerId, callSid } = options;
  const { settings, failures } = runtime;
  if (!FINAL_CALL_STATUSES.has(options.status)) return 'ignored';
  const end: CallEnd = {
    status: options.status,
    ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
    endedAt: new Date().toISOString(),
  };

  let state: CallState | null;
  try {
    state = await runtime.callStates.load({ customerId, callSid, timeoutMs: settings.redisTimeoutMs });
  } catch (error) {
    failures.dependencyFailed({ dependency: 'redis', error, customerId, callSid, operation: 'load call state at end' });
    const recorded = await recordPendingEnd({ db: runtime.db, customerId, callSid, end, timeoutMs: settings.databaseTimeoutMs }).catch(
      (dbError: unknown) => {
        failures.dependencyFailed({ dependency: 'postgres', error: dbError, customerId, callSid, operation: 'record pending end' });
        return false;
      },
    );
    if (!recorded) throw new AppError('UNAVAILABLE', 'Call state is unavailable; retry the status callback', { cause: error });
    return 'deferred';
  }

  try {
    return await finishCallLog({ runtime, customerId, callSid, state, end });
  } catch (error) {
    if (!(error instanceof CallLogUnavailableError) || !state) throw error;
    try {
      // A turn finishing after the call ended must not bring the state back: existingOnly.
      const kept = await runtime.callStates.save({ state: { ...state, end }, timeoutMs: settings.redisTimeoutMs, existingOnly: true });
      if (!kept) throw new Error('the call state vanished before its end could be kept');
      await runtime.callFinishes.schedule({ customerId, callSid });
    } catch (keepError) {
      failures.dependencyFailed({ dependency: 'redis', error: keepError, customerId, callSid, operation: 'keep call end' });
      throw new AppError('UNAVAILABLE', 'The call log could not be saved; retry the status callback', { cause: error });
    }
    return 'deferred';
  }
}

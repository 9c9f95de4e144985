import { withTenant } from '@neurosphere/db';
import type { TwilioCallStatus } from '../../clients/twilio-calls';
import { withTimeout } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallEnd } from '../call-runtime/call-state';
import { FINAL_CALL_STATUSES } from './end-call';
import { finishCallLog } from './finish-call-log';

export interface FinishUnendedCallOptions {
  runtime: CallRuntime;
  customerId: number;
  callSid: string;
}

/** `still_live`: Twilio says the call goes on; nothing was changed. */
export type FinishUnendedCallResult = 'finished' | 'still_live' | 'already_finished' | 'unknown_call';

/**
 * Finishes a call whose end was kept in an outbox or never arrived (the finish-call job). Where the
 * end comes from, in order: the call's row (finish_pending: Redis was down at the end), the call's
 * Redis state (PostgreSQL was down at the end), else Twilio's Calls resource, asked with the
 * tenant's Twilio account; a call Twilio still reports as live is left alone, and one Twilio does
 * not know ends at its last recorded moment. Failures are thrown for the job to retry.
 */
export async function finishUnendedCall(options: FinishUnendedCallOptions): Promise<FinishUnendedCallResult> {
  const { runtime, customerId, callSid } = options;
  const { settings } = runtime;
  const row = await withTimeout('read call to finish', settings.databaseTimeoutMs, () =>
    withTenant(
      runtime.db,
      customerId,
      (tx) =>
        tx.call.findUnique({
          where: { customerId_callSid: { customerId, callSid } },
          select: { status: true, startedAt: true, endedAt: true, durationSeconds: true, finishPending: true, toNumber: true },
        }),
      { maxWait: settings.databaseTimeoutMs, timeout: settings.databaseTimeoutMs },
    ),
  );
  const state = await runtime.callStates.load({ customerId, callSid, timeoutMs: settings.redisTimeoutMs });

  let end: CallEnd | null = null;
  if (row?.finishPending && row.endedAt) {
    end = {
      status: row.status,
      ...(row.durationSeconds === null ? {} : { durationSeconds: row.durationSeconds }),
      endedAt: row.endedAt.toISOString(),
    };
  } else if (state?.end) {
    end = state.end;
  } else if (row && row.endedAt === null) {
    const twilioCall = await runtime.twilioCalls.fetch({ customerId, calledPhone: row.toNumber, callSid });
    if (twilioCall === 'unknown') {
      runtime.logger.warn(
        { customer_id: customerId, callSid },
        'Twilio does not know an open call; finishing it at its last recorded moment',
      );
      end = { status: 'completed', endedAt: state?.turns.at(-1)?.at ?? row.startedAt.toISOString() };
    } else if (!FINAL_CALL_STATUSES.has(twilioCall.status)) {
      return 'still_live';
    } else {
      end = callEndFromTwilio(twilioCall);
    }
  }
  if (!end) return row ? 'already_finished' : 'unknown_call';

  const result = await finishCallLog({ runtime, customerId, callSid, state, end });
  return result === 'saved' ? 'finished' : result === 'already_saved' ? 'already_finished' : 'unknown_call';
}

/** The end Twilio reported (its end time when it gave one, else now). */
function callEndFromTwilio(call: TwilioCallStatus): CallEnd {
  return {
    status: call.status,
    ...(call.durationSeconds === undefined ? {} : { durationSeconds: call.durationSeconds }),
    endedAt: call.endedAt ?? new Date().toISOString(),
  };
}

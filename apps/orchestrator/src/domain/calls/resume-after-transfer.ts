import type { CallInstructions } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import { Deadline } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import { PLATFORM_PHRASES } from '../conversation/platform-phrases';
import { answerWithinBudget } from './answer-within-budget';
import { cannotContinueAnswer } from './fallback-answers';
import { reply } from './turn-reply';

export interface ResumeAfterTransferOptions {
  runtime: CallRuntime;
  /** The tenant, from the verified service token. */
  customerId: number;
  callSid: string;
  /** Twilio's DialCallStatus: completed or answered (the person took the call), busy, no-answer, failed, canceled. */
  status: string;
}

/** The person answered; when the bridged call ends, so does the caller's. */
const CONNECTED = new Set(['completed', 'answered']);

/**
 * A transfer ended. When the person took the call there is nothing left to do. When nobody
 * answered (busy, no answer, failed), the agent comes back to the caller, apologizes and offers
 * to take a message; the call remembers the transfer failed, so no second transfer is offered and
 * a message taken now is marked as one (staff see it in their inbox).
 */
export async function resumeAfterTransfer(options: ResumeAfterTransferOptions): Promise<CallInstructions> {
  const { runtime, customerId, callSid, status } = options;
  const { settings, failures } = runtime;
  if (CONNECTED.has(status)) return { speak: [], next: { type: 'hangup' } };
  const deadline = new Deadline(settings.turnBudgetMs);
  const startedAt = Date.now();

  let state;
  try {
    state = await runtime.callStates.load({ customerId, callSid, timeoutMs: deadline.allow(settings.redisTimeoutMs) });
  } catch (error) {
    failures.dependencyFailed({ dependency: 'redis', error, customerId, callSid, operation: 'load call state after transfer' });
    failures.answeredWithFallback({ customerId, callSid, reason: 'call_state_unavailable' });
    return cannotContinueAnswer(null);
  }
  if (!state) throw new AppError('NOT_FOUND', `Call ${callSid} not found (it never started here, or it expired)`);
  const loaded = state;
  failures.degraded('transfer_unanswered');

  return answerWithinBudget({
    deadline,
    fallback: () => {
      failures.answeredWithFallback({ customerId, callSid, reason: 'transfer_result_budget_exceeded' });
      runtime.logger.warn({ event: 'degraded', customer_id: customerId, callSid }, 'transfer result ran out of time');
      return cannotContinueAnswer(null, loaded.tenant);
    },
    answer: (budget) => {
      loaded.transferFailed = true;
      loaded.outcome = 'transfer_failed';
      loaded.turns.push({ role: 'system', text: `The transfer to a person was not answered (${status}).`, at: new Date().toISOString() });
      return reply(
        { runtime, state: loaded, deadline, budget, startedAt },
        { text: PLATFORM_PHRASES.transferUnanswered, next: { type: 'gather' } },
      );
    },
  });
}

import { callerNumberOf } from '@neurosphere/contracts';
import { maskPhone } from '@neurosphere/http';
import type { NumberOwner } from '../tenant/resolve-number-owner';
import { degradeToFallback } from './call-deps';
import type { CallDeps } from './call-deps';
import { suspendedInstructions } from './fallback-instructions';
import { renderCallInstructions } from './render-call-instructions';

export interface AnswerIncomingCallOptions {
  deps: CallDeps;
  /** The tenant owning the called number (customerId scopes everything below). */
  owner: NumberOwner;
  callSid: string;
  /** Twilio's From, as sent: may be a withheld caller id ("Anonymous", "+266696687"). */
  from: string;
  /** The called number, E.164. */
  called: string;
  requestId?: string;
}

/**
 * A call arrived for a known tenant: suspended tenants get their message and a hang-up; otherwise
 * the orchestrator starts the call and its greeting becomes TwiML. A caller who withheld their
 * number is answered too, as a stranger (caller null: nothing is remembered about them). If the
 * orchestrator cannot start the call (down, slow, erroring), the caller is transferred to the
 * tenant's transfer number when there is one, else hears an apology; a retry makes no sense before
 * the caller has said anything.
 */
export async function answerIncomingCall(options: AnswerIncomingCallOptions): Promise<string> {
  const { deps, owner, callSid } = options;
  if (owner.status === 'suspended') {
    deps.metrics.suspendedCall.inc();
    deps.log.info({ event: 'suspended_call', customerId: owner.customerId, callSid }, 'call to a suspended tenant');
    return renderCallInstructions({ instructions: suspendedInstructions(owner.suspendedMessage), publicBaseUrl: deps.publicBaseUrl });
  }

  const caller = callerNumberOf(options.from);
  if (!caller) {
    // Memory is keyed by the caller's number: without one the call goes on without memory.
    deps.metrics.callerIdUnusable.inc();
    deps.log.info(
      { event: 'caller_id_withheld', customerId: owner.customerId, callSid, from: maskPhone(options.from) },
      'caller id withheld; answered without memory',
    );
  }

  try {
    const instructions = await deps.orchestrator.startCall({
      customerId: owner.customerId,
      callSid,
      caller,
      called: options.called,
      requestId: options.requestId,
    });
    return renderCallInstructions({ instructions, publicBaseUrl: deps.publicBaseUrl });
  } catch (error) {
    return degradeToFallback({ deps, owner, callSid, operation: 'start', error, allowRetry: false });
  }
}

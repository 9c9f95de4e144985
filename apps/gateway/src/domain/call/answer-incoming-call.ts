import { normalizePhone } from '@neurosphere/contracts';
import { maskPhone } from '@neurosphere/http';
import type { NumberOwner } from '../tenant/resolve-number-owner';
import { degradeToFallback } from './call-deps';
import type { CallDeps } from './call-deps';
import { fallbackInstructions, suspendedInstructions } from './fallback-instructions';
import { renderCallInstructions } from './render-call-instructions';

export interface AnswerIncomingCallOptions {
  deps: CallDeps;
  /** The tenant owning the called number (customerId scopes everything below). */
  owner: NumberOwner;
  callSid: string;
  /** Twilio's From, as sent: may be a withheld caller id ("anonymous"). */
  from: string;
  /** The called number, E.164. */
  called: string;
  requestId?: string;
}

/**
 * A call arrived for a known tenant: suspended tenants get their message and a hang-up; otherwise
 * the orchestrator starts the call and its greeting becomes TwiML. If it cannot (down, slow,
 * erroring), the caller is transferred to the tenant's transfer number when there is one, else
 * hears an apology; a retry makes no sense before the caller has said anything.
 */
export async function answerIncomingCall(options: AnswerIncomingCallOptions): Promise<string> {
  const { deps, owner, callSid } = options;
  if (owner.status === 'suspended') {
    deps.metrics.suspendedCall.inc();
    deps.log.info({ event: 'suspended_call', customerId: owner.customerId, callSid }, 'call to a suspended tenant');
    return renderCallInstructions({ instructions: suspendedInstructions(owner.suspendedMessage), publicBaseUrl: deps.publicBaseUrl });
  }

  const caller = normalizePhone(options.from);
  if (!caller) {
    // The orchestrator keys memory by the caller's number; without one it cannot run the call.
    deps.metrics.callerIdUnusable.inc();
    const { kind, instructions } = fallbackInstructions({
      allowRetry: false,
      transferNumber: owner.transferNumber,
      speechTimeoutSeconds: owner.speechTimeoutSeconds,
    });
    deps.metrics.fallbackTwiml.inc({ kind });
    deps.log.warn(
      { event: 'degraded', dependency: 'caller_id', reason: 'unusable', fallback: kind, customerId: owner.customerId, callSid, from: maskPhone(options.from) },
      'caller id is not a phone number; answered with fallback',
    );
    return renderCallInstructions({ instructions, publicBaseUrl: deps.publicBaseUrl });
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

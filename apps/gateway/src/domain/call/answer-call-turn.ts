import type { NumberOwner } from '../tenant/resolve-number-owner';
import { degradeToFallback } from './call-deps';
import type { CallDeps } from './call-deps';
import { suspendedInstructions } from './fallback-instructions';
import { renderCallInstructions } from './render-call-instructions';

export interface AnswerCallTurnOptions {
  deps: CallDeps;
  owner: NumberOwner;
  callSid: string;
  /** What the caller said; null after silence. */
  speech: string | null;
  confidence?: number;
  /** Keypad digits (Twilio `Digits`). */
  digits?: string;
  /** True when this turn answers the gateway's own retry prompt (a failure now must not retry again). */
  isRetry: boolean;
  requestId?: string;
}

/**
 * The caller spoke (or stayed silent): the orchestrator's answer as TwiML. On failure the caller
 * is asked once to repeat; a second failure in a row (or a call the orchestrator no longer knows)
 * transfers to the tenant's number when configured, else apologizes and hangs up.
 */
export async function answerCallTurn(options: AnswerCallTurnOptions): Promise<string> {
  const { deps, owner, callSid } = options;
  if (owner.status === 'suspended') {
    deps.metrics.suspendedCall.inc();
    return renderCallInstructions({ instructions: suspendedInstructions(owner.suspendedMessage), publicBaseUrl: deps.publicBaseUrl });
  }
  try {
    const instructions = await deps.orchestrator.turn({
      customerId: owner.customerId,
      callSid,
      speech: options.speech,
      ...(options.confidence === undefined ? {} : { confidence: options.confidence }),
      ...(options.digits === undefined ? {} : { digits: options.digits }),
      requestId: options.requestId,
    });
    return renderCallInstructions({ instructions, publicBaseUrl: deps.publicBaseUrl });
  } catch (error) {
    return degradeToFallback({ deps, owner, callSid, operation: 'turn', error, allowRetry: !options.isRetry });
  }
}

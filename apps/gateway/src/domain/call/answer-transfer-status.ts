import type { NumberOwner } from '../tenant/resolve-number-owner';
import { degradeToFallback } from './call-deps';
import type { CallDeps } from './call-deps';
import { renderCallInstructions } from './render-call-instructions';

export interface AnswerTransferStatusOptions {
  deps: CallDeps;
  owner: NumberOwner;
  callSid: string;
  /** Twilio's DialCallStatus. */
  status: string;
  requestId?: string;
}

/**
 * A <Dial> ended: the orchestrator decides what follows (a hang-up after a bridged call, or the
 * agent back on the line offering to take a message when nobody answered). If it cannot be asked,
 * the caller hears an apology and the call ends: transferring to the number that just did not
 * answer would not help.
 */
export async function answerTransferStatus(options: AnswerTransferStatusOptions): Promise<string> {
  const { deps, owner, callSid } = options;
  try {
    const instructions = await deps.orchestrator.transferResult({
      customerId: owner.customerId,
      callSid,
      status: options.status,
      requestId: options.requestId,
    });
    return renderCallInstructions({ instructions, publicBaseUrl: deps.publicBaseUrl });
  } catch (error) {
    return degradeToFallback({ deps, owner, callSid, operation: 'transfer_result', error, allowRetry: false, allowTransfer: false });
  }
}

import { callerNumberOf } from '@neurosphere/contracts';
import { maskPhone, UpstreamError } from '@neurosphere/http';
import type { RelayClient } from '../clients/relay-client';
import { answerIncomingCall } from '../domain/call/answer-incoming-call';
import type { AnswerIncomingCallOptions } from '../domain/call/answer-incoming-call';
import { renderRelayTwiml } from './render-relay-twiml';

/**
 * A call for a relay tenant: the orchestrator stores the call (tenant settings, caller memory)
 * and the caller is connected to ConversationRelay. A suspended tenant and any orchestrator
 * failure go the gather path's way, which already answers both: a relay call the orchestrator
 * could not start is answered as a gather call, or degraded there.
 */
export async function answerRelayCall(options: AnswerIncomingCallOptions & { relay: RelayClient }): Promise<string> {
  const { deps, owner, callSid, relay } = options;
  if (owner.status !== 'active') return answerIncomingCall(options);
  const caller = callerNumberOf(options.from);
  if (!caller) {
    // As on the gather path: a withheld number is answered as a stranger, without memory.
    deps.metrics.callerIdUnusable.inc();
    deps.log.info(
      { event: 'caller_id_withheld', customerId: owner.customerId, callSid, from: maskPhone(options.from) },
      'caller id withheld; answered without memory',
    );
  }
  try {
    const session = await relay.start({
      customerId: owner.customerId,
      callSid,
      caller,
      called: options.called,
      requestId: options.requestId,
    });
    deps.metrics.relaySessions.inc({ event: 'answered' });
    return renderRelayTwiml({
      session,
      publicBaseUrl: deps.publicBaseUrl,
      called: options.called,
      callSid,
      language: owner.speech.language,
    });
  } catch (error) {
    const reason = error instanceof UpstreamError ? error.reason : 'internal';
    deps.metrics.orchestratorUnavailable.inc({ operation: 'relay_start', reason });
    deps.log.error(
      {
        event: 'degraded',
        dependency: 'orchestrator',
        operation: 'relay_start',
        reason,
        customerId: owner.customerId,
        callSid,
        err: error,
      },
      'orchestrator relay start failed; answering on the gather path',
    );
    return answerIncomingCall(options);
  }
}

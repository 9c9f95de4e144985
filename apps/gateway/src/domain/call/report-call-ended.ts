import { UpstreamError } from '@neurosphere/http';
import type { NumberOwner } from '../tenant/resolve-number-owner';
import type { CallDeps } from './call-deps';

export interface ReportCallEndedOptions {
  deps: CallDeps;
  owner: NumberOwner;
  callSid: string;
  /** Twilio's final CallStatus (completed, busy, failed, no-answer, canceled). */
  status: string;
  durationSeconds?: number;
  requestId?: string;
}

/**
 * Tells the orchestrator a call is over (it saves the call log and hands the transcript to
 * memory). A failure is logged and counted but not raised: Twilio does not retry status
 * callbacks, so an error answer would change nothing but its debugger log.
 */
export async function reportCallEnded(options: ReportCallEndedOptions): Promise<void> {
  const { deps, owner, callSid } = options;
  try {
    await deps.orchestrator.endCall({
      customerId: owner.customerId,
      callSid,
      status: options.status,
      ...(options.durationSeconds === undefined ? {} : { durationSeconds: options.durationSeconds }),
      requestId: options.requestId,
    });
  } catch (error) {
    const reason = error instanceof UpstreamError ? error.reason : 'internal';
    deps.metrics.orchestratorUnavailable.inc({ operation: 'end', reason });
    deps.log.error(
      { event: 'degraded', dependency: 'orchestrator', operation: 'end', reason, customerId: owner.customerId, callSid, err: error },
      'orchestrator end-of-call failed; the call log may be missing',
    );
  }
}

import { UpstreamError } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import type { OrchestratorClient } from '../../clients/orchestrator-client';
import type { GatewayMetrics } from '../../metrics';
import type { NumberOwner } from '../tenant/resolve-number-owner';
import { fallbackInstructions } from './fallback-instructions';
import { renderCallInstructions } from './render-call-instructions';

/** What the call domain functions work with (built once per app, plus the request's logger). */
export interface CallDeps {
  orchestrator: OrchestratorClient;
  metrics: GatewayMetrics;
  publicBaseUrl: string;
  /** The request's logger (carries requestId and customer_id). */
  log: Logger;
}

/**
 * Counts and logs a failed orchestrator request, then writes the degraded TwiML for it. The
 * caller always hears a sentence; the failure is visible as `event: "degraded"` and in the counters.
 */
export function degradeToFallback(options: {
  deps: CallDeps;
  owner: NumberOwner;
  callSid: string;
  operation: 'start' | 'turn' | 'transfer_result';
  error: unknown;
  allowRetry: boolean;
  /** False after a transfer that went unanswered: dialling the same number again would not help. */
  allowTransfer?: boolean;
}): string {
  const { deps, owner, error } = options;
  const reason = error instanceof UpstreamError ? error.reason : 'internal';
  deps.metrics.orchestratorUnavailable.inc({ operation: options.operation, reason });
  const { kind, instructions } = fallbackInstructions({
    allowRetry: options.allowRetry && reason !== 'not_found',
    transferNumber: options.allowTransfer === false ? null : owner.transferNumber,
    speechTimeoutSeconds: owner.speechTimeoutSeconds,
    speech: owner.speech,
  });
  deps.metrics.fallbackTwiml.inc({ kind });
  deps.log.error(
    {
      event: 'degraded',
      dependency: 'orchestrator',
      operation: options.operation,
      reason,
      fallback: kind,
      customerId: owner.customerId,
      callSid: options.callSid,
      err: error,
    },
    `orchestrator ${options.operation} failed; answered with ${kind} fallback`,
  );
  return renderCallInstructions({
    instructions,
    publicBaseUrl: deps.publicBaseUrl,
    ...(kind === 'retry' ? { turnQuery: RETRY_QUERY } : {}),
  });
}

/** Marks the gather action of the gateway's own retry, so a second failure in a row does not retry again. */
export const RETRY_QUERY = 'attempt=retry';

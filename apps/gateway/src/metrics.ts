import { Counter, Registry } from 'prom-client';

/**
 * The gateway's degradation counters (architecture §6). Each app instance owns its registry, so
 * tests can build many apps in one process. No label carries a tenant id: /metrics is on the
 * public service, and tenant ids would make the series unbounded.
 */
export interface GatewayMetrics {
  registry: Registry;
  /** Webhooks refused with 403 (missing or wrong X-Twilio-Signature, or no token to check it with). */
  signatureInvalid: Counter<'route' | 'reason'>;
  /** Webhooks for a number no tenant owns. */
  unknownNumber: Counter<'route'>;
  /** The number lookup (PostgreSQL) failed or timed out. */
  tenantLookupFailed: Counter<'route' | 'reason'>;
  /** Calls to a suspended tenant, answered with its message. */
  suspendedCall: Counter;
  /** Orchestrator start/turn/end/audio calls that failed; start/turn got fallback TwiML. */
  orchestratorUnavailable: Counter<'operation' | 'reason'>;
  /** Calls whose caller id is withheld or not a phone number: answered as a stranger (no memory, no texts). */
  callerIdUnusable: Counter;
  /** Fallback TwiML the gateway wrote itself, by kind (retry, transfer, hangup; no_whisper: a transfer connected without its whisper). */
  fallbackTwiml: Counter<'kind'>;
  /** SMS webhooks the sms service could not take. */
  smsForwardFailed: Counter<'operation' | 'reason'>;
  /** Relay (ConversationRelay) sessions: answered, set up, ended, by how. */
  relaySessions: Counter<'event'>;
  /** Relay sockets refused or closed for bad input (signature, not JSON, unknown type, too large, flood, unknown call). */
  relayRejected: Counter<'reason'>;
}

export function createGatewayMetrics(registry: Registry = new Registry()): GatewayMetrics {
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    signatureInvalid: counter('twilio_signature_invalid_total', 'Twilio webhooks refused for a missing or invalid signature', [
      'route',
      'reason',
    ]),
    unknownNumber: counter('unknown_number_total', 'Twilio webhooks for a number no tenant owns', ['route']),
    tenantLookupFailed: counter('tenant_lookup_failed_total', 'Number lookups that failed or timed out', ['route', 'reason']),
    suspendedCall: counter('suspended_call_total', 'Calls to a suspended tenant', []),
    orchestratorUnavailable: counter(
      'orchestrator_unavailable_total',
      'Orchestrator requests that failed, timed out or answered unusably',
      ['operation', 'reason'],
    ),
    callerIdUnusable: counter('caller_id_unusable_total', 'Calls whose caller id is not a usable phone number', []),
    fallbackTwiml: counter('gateway_fallback_twiml_total', 'Fallback TwiML written by the gateway itself', ['kind']),
    smsForwardFailed: counter('sms_forward_failed_total', 'SMS webhooks the sms service could not take', ['operation', 'reason']),
    relaySessions: counter('relay_sessions_total', 'ConversationRelay sessions by event (answered, setup, ended, dropped, fallback)', [
      'event',
    ]),
    relayRejected: counter('relay_rejected_total', 'ConversationRelay sockets refused or closed for bad input', ['reason']),
  };
}

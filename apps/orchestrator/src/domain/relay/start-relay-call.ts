import type { RelaySession } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import { speechHintsFor } from '../calls/listen-step';
import { answeredCallState, callOpening, openCallLog } from '../calls/start-call';
import { loadTenantSnapshot } from '../tenants/load-tenant-snapshot';
import type { RelayRuntime } from './relay-runtime';

export interface StartRelayCallOptions {
  runtime: RelayRuntime;
  /** The tenant, from the verified service token. */
  customerId: number;
  callSid: string;
  /** E.164 number of the caller; null when the caller id is withheld. */
  callerPhone: string | null;
  calledPhone: string;
}

/**
 * A relay call was answered: reads the tenant's settings and the caller's context (memory) in
 * parallel and stores the call state exactly as the gather path does (the same caller
 * verification: stored details stay locked until the caller proves who they are), but
 * synthesizes nothing: Twilio speaks the greeting itself with the tenant's ElevenLabs voice.
 * Memory failing only makes the caller a stranger; without the tenant or a place for the state
 * this fails, and the gateway answers the call on the gather path instead.
 */
export async function startRelayCall(options: StartRelayCallOptions): Promise<RelaySession> {
  const { runtime, customerId, callSid, callerPhone } = options;
  const { settings, failures } = runtime;
  const now = new Date();
  const [tenant, enriched] = await Promise.all([
    loadTenantSnapshot({ db: runtime.db, logger: runtime.logger, customerId, timeoutMs: settings.databaseTimeoutMs }),
    callerPhone === null
      ? null
      : runtime.memory
          .enrichedContext({ customerId, callSid, callerPhone, timeoutMs: settings.memoryContextTimeoutMs })
          .catch((error: unknown) => {
            failures.dependencyFailed({ dependency: 'memory', error, customerId, callSid, operation: 'enriched context' });
            failures.degraded('caller_context_missing');
            return null;
          }),
  ]);
  if (!tenant) throw new AppError('NOT_FOUND', `Customer ${customerId} not found`);

  const opening = callOpening({ tenant, enriched, now });
  const state = answeredCallState({
    customerId,
    callSid,
    callerPhone,
    calledPhone: options.calledPhone,
    now,
    tenant,
    opening,
    greetingTimings: {},
    // Twilio synthesizes every character the agent says (the greeting included) with the tenant's voice.
    ttsCharacters: opening.greeting.length,
  });
  await runtime.callStates.save({ state, timeoutMs: settings.redisTimeoutMs });
  openCallLog({ runtime, customerId, callSid, callerPhone, calledPhone: options.calledPhone, startedAt: now });
  return { customer_id: customerId, welcome_greeting: opening.greeting, voice_id: tenant.voiceId, hints: speechHintsFor(tenant) };
}

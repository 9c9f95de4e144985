import type { RelaySession } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import type { CallState } from '../call-runtime/call-state';
import { renderGreeting } from '../conversation/render-greeting';
import { loadTenantSnapshot } from '../tenants/load-tenant-snapshot';
import type { RelayRuntime } from './relay-runtime';

export interface StartRelayCallOptions {
  runtime: RelayRuntime;
  /** The tenant, from the verified service token. */
  customerId: number;
  callSid: string;
  callerPhone: string;
  calledPhone: string;
}

/**
 * A relay call was answered: reads the tenant's settings and the caller's context (memory) in
 * parallel and stores the call state, as the gather path does, but synthesizes nothing: Twilio
 * speaks the greeting itself with the tenant's ElevenLabs voice. Memory failing only makes the
 * caller a stranger; without the tenant or a place for the state this fails (503), and the gateway
 * answers the call on the gather path instead.
 */
export async function startRelayCall(options: StartRelayCallOptions): Promise<RelaySession> {
  const { runtime, customerId, callSid } = options;
  const { settings, failures } = runtime;
  const [tenant, callerContext] = await Promise.all([
    loadTenantSnapshot({ db: runtime.db, logger: runtime.logger, customerId, timeoutMs: settings.databaseTimeoutMs }),
    runtime.memory
      .enrichedContext({ customerId, callSid, callerPhone: options.callerPhone, timeoutMs: settings.memoryContextTimeoutMs })
      .then((context): CallState['callerContext'] => ({ knownCaller: context.known_caller, promptContext: context.prompt_context }))
      .catch((error: unknown) => {
        failures.dependencyFailed({ dependency: 'memory', error, customerId, callSid, operation: 'enriched context' });
        failures.degraded('caller_context_missing');
        return { knownCaller: false, promptContext: '' };
      }),
  ]);
  if (!tenant) throw new AppError('NOT_FOUND', `Customer ${customerId} not found`);

  const greeting = renderGreeting(tenant);
  const state: CallState = {
    version: 1,
    customerId,
    callSid,
    callerPhone: options.callerPhone,
    calledPhone: options.calledPhone,
    startedAt: new Date().toISOString(),
    tenant,
    callerContext,
    turns: [{ role: 'agent', text: greeting, at: new Date().toISOString() }],
    silenceCount: 0,
    llmFailureCount: 0,
    mode: 'conversation',
    outcome: null,
    // Twilio synthesizes every character the agent says (the greeting included) with the tenant's voice.
    usage: { llmTokens: 0, ttsCharacters: greeting.length },
  };
  await runtime.callStates.save({ state, timeoutMs: settings.redisTimeoutMs });
  return { customer_id: customerId, welcome_greeting: greeting, voice_id: tenant.voiceId };
}

import type { CallInstructions } from '@neurosphere/contracts';
import { Deadline } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallState } from '../call-runtime/call-state';
import { renderGreeting } from '../conversation/render-greeting';
import { speakText } from '../speech/speak-text';
import { loadTenantSnapshot } from '../tenants/load-tenant-snapshot';
import type { TenantSnapshot } from '../tenants/tenant-snapshot';
import { answerWithinBudget } from './answer-within-budget';
import { cannotContinueAnswer } from './fallback-answers';

export interface StartCallOptions {
  runtime: CallRuntime;
  /** The tenant, from the verified service token. */
  customerId: number;
  callSid: string;
  /** E.164 number of the caller (Twilio `From`). */
  callerPhone: string;
  /** E.164 number the caller dialled (Twilio `To`). */
  calledPhone: string;
}

const EMPTY_CALLER_CONTEXT: CallState['callerContext'] = { knownCaller: false, promptContext: '' };

/**
 * A call was answered: reads the tenant's settings (PostgreSQL) and the caller's context (memory)
 * in parallel, greets in the tenant's voice and stores the call state. Memory failing only makes
 * the caller a stranger; without tenant settings or a place to keep the call, the caller is
 * transferred (or told to call back) rather than left in a conversation that cannot continue.
 */
export async function startCall(options: StartCallOptions): Promise<CallInstructions> {
  const { runtime, customerId, callSid } = options;
  const { settings, failures } = runtime;
  const deadline = new Deadline(settings.turnBudgetMs);
  const startedAt = Date.now();
  let tenantForFallback: TenantSnapshot | null = null;

  return answerWithinBudget({
    deadline,
    fallback: () => {
      failures.degraded('start_budget_exceeded');
      runtime.logger.warn({ event: 'degraded', customer_id: customerId, callSid }, 'call start ran out of time');
      return cannotContinueAnswer(tenantForFallback?.transferNumber);
    },
    answer: async (budget) => {
      const [tenant, callerContext] = await Promise.all([
        loadTenantSnapshot({ db: runtime.db, logger: runtime.logger, customerId, timeoutMs: deadline.allow(settings.databaseTimeoutMs) }).catch(
          (error: unknown) => {
            failures.dependencyFailed({ dependency: 'postgres', error, customerId, callSid, operation: 'load tenant settings' });
            return undefined;
          },
        ),
        runtime.memory
          .enrichedContext({ customerId, callSid, callerPhone: options.callerPhone, timeoutMs: deadline.allow(settings.memoryContextTimeoutMs) })
          .then((context): CallState['callerContext'] => ({ knownCaller: context.known_caller, promptContext: context.prompt_context }))
          .catch((error: unknown) => {
            failures.dependencyFailed({ dependency: 'memory', error, customerId, callSid, operation: 'enriched context' });
            failures.degraded('caller_context_missing');
            return EMPTY_CALLER_CONTEXT;
          }),
      ]);
      if (tenant === undefined) {
        failures.degraded('tenant_settings_unavailable');
        return cannotContinueAnswer(null);
      }
      if (tenant === null) {
        // The gateway routed the call to this tenant, yet RLS shows no such customer: refuse, never guess.
        runtime.logger.error({ customer_id: customerId, callSid }, 'call started for a tenant that does not exist');
        return cannotContinueAnswer(null);
      }
      tenantForFallback = tenant;

      const greeting = renderGreeting(tenant);
      const spoken = await speakText({ runtime, customerId, callSid, tenant, text: greeting, deadline, reserveMs: settings.redisTimeoutMs });
      const state: CallState = {
        version: 1,
        customerId,
        callSid,
        callerPhone: options.callerPhone,
        calledPhone: options.calledPhone,
        startedAt: new Date(startedAt).toISOString(),
        tenant,
        callerContext,
        turns: [
          { role: 'agent', text: greeting, at: new Date().toISOString(), ttsMs: spoken.ttsMs, totalMs: Date.now() - startedAt },
        ],
        silenceCount: 0,
        llmFailureCount: 0,
        mode: 'conversation',
        outcome: null,
        usage: { llmTokens: 0, ttsCharacters: spoken.synthesizedCharacters },
      };
      if (budget.abandoned()) return cannotContinueAnswer(tenant.transferNumber);
      try {
        await runtime.callStates.save({ state, timeoutMs: deadline.allow(settings.redisTimeoutMs) });
      } catch (error) {
        failures.dependencyFailed({ dependency: 'redis', error, customerId, callSid, operation: 'save call state' });
        failures.degraded('call_state_unavailable');
        return cannotContinueAnswer(tenant.transferNumber);
      }
      return { speak: [spoken.speech], next: { type: 'gather', speech_timeout_seconds: tenant.speechTimeoutSeconds } };
    },
  });
}

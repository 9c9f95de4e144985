import type { CallInstructions, EnrichedContext } from '@neurosphere/contracts';
import { Deadline } from '../../lib/timeout';
import { recordCallStart } from '../call-log/save-call-log';
import { verifiableFacts } from '../callers/match-caller-identity';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallerContext, CallerVerification, CallState, TranscriptTurn } from '../call-runtime/call-state';
import { renderGreeting } from '../conversation/render-greeting';
import { speakText } from '../speech/speak-text';
import { isOpenAt, transferTargetAt } from '../tenants/business-hours';
import { loadTenantSnapshot } from '../tenants/load-tenant-snapshot';
import type { TenantSnapshot } from '../tenants/tenant-snapshot';
import { answerWithinBudget } from './answer-within-budget';
import { cannotContinueAnswer } from './fallback-answers';
import { listenStep } from './listen-step';

export interface StartCallOptions {
  runtime: CallRuntime;
  /** The tenant, from the verified service token. */
  customerId: number;
  callSid: string;
  /** E.164 number of the caller (Twilio `From`); null when the caller id is withheld. */
  callerPhone: string | null;
  /** E.164 number the caller dialled (Twilio `To`). */
  calledPhone: string;
}

const EMPTY_CALLER_CONTEXT: CallerContext = { knownCaller: false, promptContext: '', name: null, facts: [] };

/**
 * A call was answered: reads the tenant's settings (PostgreSQL) and the caller's context (memory)
 * in parallel, greets in the tenant's voice and stores the call state. Memory failing only makes
 * the caller a stranger, and a withheld number is answered as one (no memory is asked for).
 * Without tenant settings or a place to keep the call, the caller is transferred (or told to call
 * back) rather than left in a conversation that cannot continue.
 */
export async function startCall(options: StartCallOptions): Promise<CallInstructions> {
  const { runtime, customerId, callSid, callerPhone } = options;
  const { settings, failures } = runtime;
  const deadline = new Deadline(settings.turnBudgetMs);
  const startedAt = Date.now();
  const now = new Date(startedAt);
  let tenantForFallback: TenantSnapshot | null = null;
  const fallbackTransfer = (tenant: TenantSnapshot | null) => {
    const target = tenant ? transferTargetAt(tenant, now) : null;
    return cannotContinueAnswer(target && 'number' in target ? target.number : null, tenant);
  };

  return answerWithinBudget({
    deadline,
    fallback: () => {
      failures.answeredWithFallback({ customerId, callSid, reason: 'start_budget_exceeded' });
      runtime.logger.warn({ event: 'degraded', customer_id: customerId, callSid }, 'call start ran out of time');
      return fallbackTransfer(tenantForFallback);
    },
    answer: async (budget) => {
      const [tenant, enriched] = await Promise.all([
        loadTenantSnapshot({
          db: runtime.db,
          logger: runtime.logger,
          customerId,
          timeoutMs: deadline.allow(settings.databaseTimeoutMs),
        }).catch((error: unknown) => {
          failures.dependencyFailed({ dependency: 'postgres', error, customerId, callSid, operation: 'load tenant settings' });
          return undefined;
        }),
        callerPhone === null
          ? null
          : runtime.memory
              .enrichedContext({ customerId, callSid, callerPhone, timeoutMs: deadline.allow(settings.memoryContextTimeoutMs) })
              .catch((error: unknown) => {
                failures.dependencyFailed({ dependency: 'memory', error, customerId, callSid, operation: 'enriched context' });
                failures.degraded('caller_context_missing');
                return null;
              }),
      ]);
      if (tenant === undefined) {
        failures.answeredWithFallback({ customerId, callSid, reason: 'tenant_settings_unavailable' });
        return cannotContinueAnswer(null);
      }
      if (tenant === null) {
        // The gateway routed the call to this tenant, yet RLS shows no such customer: refuse, never guess.
        failures.degraded('tenant_not_found');
        runtime.logger.error({ customer_id: customerId, callSid }, 'call started for a tenant that does not exist');
        return cannotContinueAnswer(null);
      }
      tenantForFallback = tenant;

      const opening = callOpening({ tenant, enriched, now });
      const spoken = await speakText({
        runtime,
        customerId,
        callSid,
        tenant,
        text: opening.greeting,
        deadline,
        reserveMs: settings.redisTimeoutMs,
      });
      const state = answeredCallState({
        customerId,
        callSid,
        callerPhone,
        calledPhone: options.calledPhone,
        now,
        tenant,
        opening,
        greetingTimings: { ttsMs: spoken.ttsMs, totalMs: Date.now() - startedAt },
        ttsCharacters: spoken.synthesizedCharacters,
      });
      if (budget.abandoned()) return fallbackTransfer(tenant);
      try {
        await runtime.callStates.save({ state, timeoutMs: deadline.allow(settings.redisTimeoutMs) });
      } catch (error) {
        failures.dependencyFailed({ dependency: 'redis', error, customerId, callSid, operation: 'save call state' });
        failures.answeredWithFallback({ customerId, callSid, reason: 'call_state_unavailable' });
        return fallbackTransfer(tenant);
      }
      openCallLog({ runtime, customerId, callSid, callerPhone, calledPhone: options.calledPhone, startedAt: now });
      return { speak: [spoken.speech], next: listenStep(tenant, settings) };
    },
  });
}

/** How long the open row may take: it is written beside the answer, never in its way. */
const OPEN_CALL_LOG_TIMEOUT_MS = 5000;

/**
 * Starts writing the call's open row (both voice paths), once its state is kept, so the reaper
 * finds the call if its end never comes. The answer neither waits for it nor competes with it,
 * and its failure costs the caller nothing: the call goes on, and its end still saves the log.
 */
export function openCallLog(options: {
  runtime: CallRuntime;
  customerId: number;
  callSid: string;
  callerPhone: string | null;
  calledPhone: string;
  startedAt: Date;
}): void {
  const { runtime, customerId, callSid } = options;
  recordCallStart({ db: runtime.db, ...options, timeoutMs: OPEN_CALL_LOG_TIMEOUT_MS }).catch((error: unknown) => {
    runtime.failures.dependencyFailed({ dependency: 'postgres', error, customerId, callSid, operation: 'record call start' });
  });
}

/** How a call opens: what is known about the caller, whether the business is closed, and the greeting (both voice paths). */
export interface CallOpening {
  callerContext: CallerContext;
  afterHours: boolean;
  greeting: string;
}

export function callOpening(options: { tenant: TenantSnapshot; enriched: EnrichedContext | null; now: Date }): CallOpening {
  const { tenant, enriched, now } = options;
  const afterHours = !isOpenAt(tenant.businessHours, tenant.timeZone, now);
  return {
    callerContext: enriched ? callerContextOf(enriched, tenant) : EMPTY_CALLER_CONTEXT,
    afterHours,
    greeting: renderGreeting(tenant, { afterHours }),
  };
}

/**
 * The state of a call just answered (both voice paths): the greeting is the agent's first line,
 * and the caller's stored details are locked or not as the tenant's verification policy says.
 */
export function answeredCallState(options: {
  customerId: number;
  callSid: string;
  callerPhone: string | null;
  calledPhone: string;
  now: Date;
  tenant: TenantSnapshot;
  opening: CallOpening;
  /** How long the greeting took to make (the gather path synthesizes it; the relay path does not). */
  greetingTimings: Pick<TranscriptTurn, 'ttsMs' | 'totalMs'>;
  /** Characters synthesized for the greeting. */
  ttsCharacters: number;
}): CallState {
  const { tenant, opening } = options;
  return {
    version: 1,
    customerId: options.customerId,
    callSid: options.callSid,
    callerPhone: options.callerPhone,
    calledPhone: options.calledPhone,
    startedAt: options.now.toISOString(),
    tenant,
    callerContext: opening.callerContext,
    verification: initialVerification(opening.callerContext, tenant),
    afterHours: opening.afterHours,
    turns: [{ role: 'agent', text: opening.greeting, at: new Date().toISOString(), ...options.greetingTimings }],
    silenceCount: 0,
    llmFailureCount: 0,
    mode: 'conversation',
    transferFailed: false,
    toolEffects: [],
    outcome: null,
    usage: { llmTokens: 0, ttsCharacters: options.ttsCharacters },
    end: null,
  };
}

/** What the call keeps of memory's answer: the prompt block, and the name and details a caller may be checked against. */
function callerContextOf(context: EnrichedContext, tenant: TenantSnapshot): CallerContext {
  return {
    knownCaller: context.known_caller,
    promptContext: context.prompt_context,
    name: context.caller_name?.trim() || null,
    facts: verifiableFacts(context.known_facts, tenant.callerFields),
  };
}

/**
 * Stored details are locked until the caller proves who they are, unless the tenant chose `none`
 * or there is nothing stored. A policy the profile cannot satisfy (no name on file, or no detail
 * to ask for under `name_and_fact`) keeps them locked for the whole call: the number alone never
 * unlocks them.
 */
function initialVerification(context: CallerContext, tenant: TenantSnapshot): CallerVerification {
  if (!context.knownCaller || tenant.callerVerification === 'none') return { status: 'not_needed', failedAttempts: 0 };
  const checkable = context.name !== null && (tenant.callerVerification === 'name' || context.facts.length > 0);
  return { status: checkable ? 'unverified' : 'locked', failedAttempts: 0 };
}

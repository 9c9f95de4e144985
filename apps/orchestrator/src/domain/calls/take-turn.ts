import type { CallInstructions } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import { Deadline } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import { mergeOutcome } from '../call-runtime/call-state';
import type { CallState } from '../call-runtime/call-state';
import { askAgent } from '../conversation/ask-agent';
import { PLATFORM_PHRASES } from '../conversation/platform-phrases';
import { recordCallerMessage } from '../messages/record-caller-message';
import { prepareSpeech, storeSpeech } from '../speech/speak-text';
import { loadTenantSnapshot } from '../tenants/load-tenant-snapshot';
import { answerWithinBudget } from './answer-within-budget';
import type { AnswerBudget } from './answer-within-budget';
import { cannotContinueAnswer, retryAnswer } from './fallback-answers';

export interface TakeTurnOptions {
  runtime: CallRuntime;
  /** The tenant, from the verified service token. */
  customerId: number;
  callSid: string;
  /** What the caller said; null when the gather ended in silence. */
  speech: string | null;
}

/**
 * One exchange: the caller spoke (or stayed silent) and the agent answers. The call state is read
 * from Redis and written back with the new lines and their timings. Every failure on the way ends
 * in an answer the caller can hear before the turn budget runs out.
 */
export async function takeTurn(options: TakeTurnOptions): Promise<CallInstructions> {
  const { runtime, customerId, callSid } = options;
  const { settings, failures } = runtime;
  const deadline = new Deadline(settings.turnBudgetMs);
  const startedAt = Date.now();

  let state: CallState | null;
  try {
    state = await runtime.callStates.load({ customerId, callSid, timeoutMs: deadline.allow(settings.redisTimeoutMs) });
  } catch (error) {
    failures.dependencyFailed({ dependency: 'redis', error, customerId, callSid, operation: 'load call state' });
    failures.degraded('call_state_unavailable');
    return answerWithoutState({ runtime, customerId, callSid, deadline });
  }
  if (!state) throw new AppError('NOT_FOUND', `Call ${callSid} not found (it never started here, or it expired)`);
  const loaded = state;

  return answerWithinBudget({
    deadline,
    fallback: () => {
      failures.degraded('turn_budget_exceeded');
      runtime.logger.warn({ event: 'degraded', customer_id: customerId, callSid }, 'turn ran out of time');
      return retryAnswer(loaded.tenant.speechTimeoutSeconds);
    },
    answer: (budget) => continueConversation({ runtime, state: loaded, speech: options.speech, deadline, budget, startedAt }),
  });
}

interface TurnContext {
  runtime: CallRuntime;
  state: CallState;
  speech: string | null;
  deadline: Deadline;
  budget: AnswerBudget;
  startedAt: number;
}

async function continueConversation(context: TurnContext): Promise<CallInstructions> {
  const { runtime, state, deadline } = context;
  const speech = context.speech?.trim() ?? '';
  const now = () => new Date().toISOString();

  if (!speech) {
    state.silenceCount += 1;
    // One re-prompt, then a polite goodbye.
    if (state.silenceCount >= 2) {
      state.outcome = state.outcome ?? 'no_response';
      return reply(context, { text: PLATFORM_PHRASES.silenceGoodbye, next: 'hangup' });
    }
    return reply(context, { text: PLATFORM_PHRASES.silenceReprompt, next: 'gather' });
  }
  state.silenceCount = 0;
  state.turns.push({ role: 'caller', text: speech, at: now() });

  if (state.mode === 'taking_message') {
    try {
      await recordCallerMessage({
        db: runtime.db,
        customerId: state.customerId,
        callSid: state.callSid,
        kind: 'message',
        callerPhone: state.callerPhone,
        message: speech,
        timeoutMs: deadline.allow(runtime.settings.databaseTimeoutMs, runtime.settings.redisTimeoutMs * 2),
      });
      state.turns.push({ role: 'system', text: 'Took a message for the business.', at: now() });
      state.outcome = 'message_taken';
      return reply(context, { text: PLATFORM_PHRASES.messageTakenGoodbye, next: 'hangup' });
    } catch (error) {
      runtime.failures.dependencyFailed({
        dependency: 'postgres',
        error,
        customerId: state.customerId,
        callSid: state.callSid,
        operation: 'take message without the model',
      });
      state.outcome = 'failed';
      return reply(context, { text: PLATFORM_PHRASES.messageFailedGoodbye, next: 'hangup' });
    }
  }

  // The model must leave time to speak its answer: a cache lookup, a short synthesis and the save.
  const reserveMs = runtime.settings.redisTimeoutMs * 2 + 400;
  const agent = await askAgent({ runtime, state, deadline, reserveMs });
  if (!agent.ok) {
    state.usage.llmTokens += agent.tokens;
    state.llmFailureCount += 1;
    runtime.failures.degraded('model_unavailable');
    if (state.llmFailureCount < 2) return reply(context, { text: PLATFORM_PHRASES.retryAfterFailure, next: 'gather', llmMs: agent.llmMs });
    if (state.tenant.transferNumber) {
      state.outcome = 'transferred';
      return reply(context, { text: PLATFORM_PHRASES.transferAfterFailure, next: 'transfer', llmMs: agent.llmMs });
    }
    state.mode = 'taking_message';
    return reply(context, { text: PLATFORM_PHRASES.offerMessageAfterFailure, next: 'gather', llmMs: agent.llmMs });
  }
  state.llmFailureCount = 0;
  state.usage.llmTokens += agent.tokens;
  for (const action of agent.actions) state.turns.push({ role: 'system', text: action, at: now() });
  if (agent.outcome) state.outcome = mergeOutcome(state.outcome, agent.outcome);
  return reply(context, { text: agent.text, next: agent.next, llmMs: agent.llmMs });
}

/**
 * Speaks `text` in the tenant's voice, records the agent's line with its timings and saves the
 * state. Fresh audio and the state go to Redis together (two writes in flight at once, not one
 * after the other): the turn waits for one round trip, not two.
 */
async function reply(
  context: TurnContext,
  answer: { text: string; next: 'gather' | 'transfer' | 'hangup'; llmMs?: number },
): Promise<CallInstructions> {
  const { runtime, state, deadline, startedAt } = context;
  const { settings } = runtime;
  const prepared = await prepareSpeech({
    runtime,
    customerId: state.customerId,
    callSid: state.callSid,
    tenant: state.tenant,
    text: answer.text,
    deadline,
    // Storing fresh audio and saving the state run side by side: one Redis timeout covers both.
    reserveMs: settings.redisTimeoutMs,
  });
  state.usage.ttsCharacters += prepared.synthesizedCharacters;
  // totalMs: until the answer was ready, before it and the state are written.
  state.turns.push({
    role: 'agent',
    text: answer.text,
    at: new Date().toISOString(),
    ...(answer.llmMs === undefined ? {} : { llmMs: answer.llmMs }),
    ttsMs: prepared.ttsMs,
    totalMs: Date.now() - startedAt,
  });

  let next: CallInstructions['next'];
  if (answer.next === 'transfer' && state.tenant.transferNumber) next = { type: 'transfer', number: state.tenant.transferNumber };
  else if (answer.next === 'hangup') next = { type: 'hangup' };
  else next = { type: 'gather', speech_timeout_seconds: state.tenant.speechTimeoutSeconds };

  const [speech] = await Promise.all([
    storeSpeech({ runtime, customerId: state.customerId, callSid: state.callSid, prepared, deadline, reserveMs: 0 }),
    saveState(context),
  ]);
  return { speak: [speech], next };
}

/** Writes the state back; a failure is counted and the caller still hears this turn's answer. */
async function saveState({ runtime, state, deadline, budget }: TurnContext): Promise<void> {
  // A turn that lost the race already answered with an apology; its lines were never heard.
  if (budget.abandoned()) return;
  try {
    await runtime.callStates.save({ state, timeoutMs: deadline.allow(runtime.settings.redisTimeoutMs), existingOnly: true });
  } catch (error) {
    // The next turn sees the state as it was before this one.
    runtime.failures.dependencyFailed({
      dependency: 'redis',
      error,
      customerId: state.customerId,
      callSid: state.callSid,
      operation: 'save call state',
    });
  }
}

/** Redis did not give the call state back: the tenant's transfer number (from PostgreSQL) is all that is left. */
async function answerWithoutState(options: {
  runtime: CallRuntime;
  customerId: number;
  callSid: string;
  deadline: Deadline;
}): Promise<CallInstructions> {
  const { runtime, customerId, callSid, deadline } = options;
  try {
    const tenant = await loadTenantSnapshot({
      db: runtime.db,
      logger: runtime.logger,
      customerId,
      timeoutMs: deadline.allow(runtime.settings.databaseTimeoutMs),
    });
    return cannotContinueAnswer(tenant?.transferNumber);
  } catch (error) {
    runtime.failures.dependencyFailed({ dependency: 'postgres', error, customerId, callSid, operation: 'load tenant settings' });
    return cannotContinueAnswer(null);
  }
}

import type { CallInstructions } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import { Deadline } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import { mergeOutcome } from '../call-runtime/call-state';
import type { CallState } from '../call-runtime/call-state';
import { askAgent } from '../conversation/ask-agent';
import { PLATFORM_PHRASES, silenceOffer } from '../conversation/platform-phrases';
import { canTransfer, transferNumberFor, whisperFor } from '../conversation/tools/transfer-to-human';
import { recordCallerMessage } from '../messages/record-caller-message';
import { answerWithinBudget } from './answer-within-budget';
import { retryAnswer } from './fallback-answers';
import { answerWithoutState, checkpointState, reply } from './turn-reply';
import type { TurnContext } from './turn-reply';

export interface TakeTurnOptions {
  runtime: CallRuntime;
  /** The tenant, from the verified service token. */
  customerId: number;
  callSid: string;
  /** What the caller said; null when the gather ended in silence (or nothing was recognized). */
  speech: string | null;
  /** Speech recognition's confidence in `speech` (0-1), when Twilio gave one. */
  confidence?: number;
  /** Keypad digits the caller pressed instead. */
  digits?: string;
}

/** Keypad choices offered after two silences. */
const KEY_PERSON = '0';
const KEY_MESSAGE = '1';

/**
 * One exchange: the caller spoke, pressed keys or stayed silent, and the agent answers. The call
 * state is read from Redis and written back with the new lines and their timings. Every failure
 * on the way ends in an answer the caller can hear before the turn budget runs out.
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
    failures.answeredWithFallback({ customerId, callSid, reason: 'call_state_unavailable' });
    return answerWithoutState({ runtime, customerId, callSid, deadline });
  }
  if (!state) throw new AppError('NOT_FOUND', `Call ${callSid} not found (it never started here, or it expired)`);
  const loaded = state;

  return answerWithinBudget({
    deadline,
    fallback: () => {
      failures.answeredWithFallback({ customerId, callSid, reason: 'turn_budget_exceeded' });
      runtime.logger.warn({ event: 'degraded', customer_id: customerId, callSid }, 'turn ran out of time');
      return retryAnswer(loaded.tenant, settings);
    },
    answer: (budget) => continueConversation({ runtime, state: loaded, deadline, budget, startedAt }, options),
  });
}

async function continueConversation(
  context: TurnContext,
  input: Pick<TakeTurnOptions, 'speech' | 'confidence' | 'digits'>,
): Promise<CallInstructions> {
  const { runtime, state, deadline } = context;
  const speech = input.speech?.trim() ?? '';
  const digits = input.digits?.trim() ?? '';
  const now = new Date();
  const at = now.toISOString();

  if (!speech && !digits) {
    state.silenceCount += 1;
    // A re-prompt, then an offer of a person or a message, then a polite goodbye.
    if (state.silenceCount === 1) return reply(context, { text: PLATFORM_PHRASES.silenceReprompt, next: { type: 'gather' } });
    if (state.silenceCount === 2)
      return reply(context, { text: silenceOffer(canTransfer(state, now)), next: { type: 'gather', numDigits: 1 } });
    state.outcome = state.outcome ?? 'no_response';
    return reply(context, { text: PLATFORM_PHRASES.silenceGoodbye, next: { type: 'hangup' } });
  }
  state.silenceCount = 0;

  if (speech) {
    state.turns.push({ role: 'caller', text: speech, at, ...(input.confidence === undefined ? {} : { confidence: input.confidence }) });
  } else {
    state.turns.push({ role: 'caller', text: `(pressed ${digits.split('').join(' ')} on the keypad)`, at });
    const transferNumber = digits === KEY_PERSON ? transferNumberFor(state, now) : null;
    if (transferNumber) {
      state.turns.push({ role: 'system', text: 'Transferred the call to a person.', at });
      return transferWithoutModel(context, {
        number: transferNumber,
        reason: 'The caller asked for a person using the keypad.',
        text: PLATFORM_PHRASES.transferring,
      });
    }
    if (digits === KEY_MESSAGE && state.mode === 'conversation') {
      state.mode = 'taking_message';
      return reply(context, { text: PLATFORM_PHRASES.takingMessage, next: { type: 'gather' } });
    }
  }

  if (state.mode === 'taking_message' && speech) return takeMessageWithoutModel(context, speech);

  // The model must leave time to speak its answer: a cache lookup, a short synthesis and the save.
  const reserveMs = runtime.settings.redisTimeoutMs * 2 + 400;
  const agent = await askAgent({ runtime, state, deadline, reserveMs, now, checkpoint: () => checkpointState(context) });
  if (!agent.ok) {
    state.usage.llmTokens += agent.tokens;
    state.llmFailureCount += 1;
    runtime.failures.answeredWithFallback({ customerId: state.customerId, callSid: state.callSid, reason: 'model_unavailable' });
    if (state.llmFailureCount < 2)
      return reply(context, { text: PLATFORM_PHRASES.retryAfterFailure, next: { type: 'gather' }, llmMs: agent.llmMs });
    const transferNumber = transferNumberFor(state, now);
    if (transferNumber) {
      return transferWithoutModel(
        context,
        { number: transferNumber, reason: 'Our assistant could not continue the call.', text: PLATFORM_PHRASES.transferAfterFailure },
        agent.llmMs,
      );
    }
    state.mode = 'taking_message';
    return reply(context, { text: PLATFORM_PHRASES.offerMessageAfterFailure, next: { type: 'gather' }, llmMs: agent.llmMs });
  }
  state.llmFailureCount = 0;
  state.usage.llmTokens += agent.tokens;
  const next =
    agent.next === 'transfer' && agent.transfer
      ? ({ type: 'transfer', ...agent.transfer } as const)
      : agent.next === 'hangup'
        ? ({ type: 'hangup' } as const)
        : ({ type: 'gather' } as const);
  return reply(context, { text: agent.text, next, llmMs: agent.llmMs });
}

/** A transfer the platform decided on (the keypad, or a model that keeps failing): the person answering hears why. */
function transferWithoutModel(
  context: TurnContext,
  transfer: { number: string; reason: string; text: string },
  llmMs?: number,
): Promise<CallInstructions> {
  const { state } = context;
  state.outcome = mergeOutcome(state.outcome, 'transferred');
  const whisper = whisperFor(state, { reason: transfer.reason, caller_name: null });
  return reply(context, {
    text: transfer.text,
    next: { type: 'transfer', number: transfer.number, whisper },
    ...(llmMs === undefined ? {} : { llmMs }),
  });
}

/** The model is unavailable (or the caller chose to leave a message): their words are the message. */
async function takeMessageWithoutModel(context: TurnContext, speech: string): Promise<CallInstructions> {
  const { runtime, state, deadline } = context;
  const text = await keepWordsAsMessage({
    runtime,
    state,
    message: speech,
    timeoutMs: deadline.allow(runtime.settings.databaseTimeoutMs, runtime.settings.redisTimeoutMs * 2),
  });
  return reply(context, { text, next: { type: 'hangup' } });
}

/**
 * Stores the caller's words as a message for the business, without the model (both voice paths),
 * records the outcome in the state and returns the goodbye to say: that it was passed on, or that
 * it could not be saved.
 */
export async function keepWordsAsMessage(options: {
  runtime: CallRuntime;
  state: CallState;
  message: string;
  timeoutMs: number;
}): Promise<string> {
  const { runtime, state } = options;
  try {
    await recordCallerMessage({
      db: runtime.db,
      customerId: state.customerId,
      callSid: state.callSid,
      kind: 'message',
      callerPhone: state.callerPhone,
      message: options.message,
      transferFailed: state.transferFailed,
      timeoutMs: options.timeoutMs,
    });
    state.turns.push({ role: 'system', text: 'Took a message for the business.', at: new Date().toISOString() });
    state.outcome = 'message_taken';
    return PLATFORM_PHRASES.messageTakenGoodbye;
  } catch (error) {
    runtime.failures.dependencyFailed({
      dependency: 'postgres',
      error,
      customerId: state.customerId,
      callSid: state.callSid,
      operation: 'take message without the model',
    });
    state.outcome = 'failed';
    return PLATFORM_PHRASES.messageFailedGoodbye;
  }
}

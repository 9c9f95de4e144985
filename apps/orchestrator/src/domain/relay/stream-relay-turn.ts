import type { RelayEvent, RelayHandoff, RelayInput } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { Deadline } from '../../lib/timeout';
import { mergeOutcome } from '../call-runtime/call-state';
import type { CallState } from '../call-runtime/call-state';
import { keepWordsAsMessage } from '../calls/take-turn';
import { transferInstruction } from '../calls/turn-reply';
import { withFreshPrompt } from '../conversation/ask-agent';
import { buildChatMessages } from '../conversation/build-chat-messages';
import { modelFor, openAiKeyFor } from '../conversation/chat-model';
import { PLATFORM_PHRASES, silenceOffer } from '../conversation/platform-phrases';
import { openAiToolsFor } from '../conversation/tools';
import { runToolCalls } from '../conversation/tools/run-tool-calls';
import type { FunctionToolCall } from '../conversation/tools/run-tool-calls';
import { canTransfer, transferNumberFor, whisperFor } from '../conversation/tools/transfer-to-human';
import type { RelayRuntime } from './relay-runtime';

export interface StreamRelayTurnOptions {
  runtime: RelayRuntime;
  /** The tenant, from the verified service token. */
  customerId: number;
  callSid: string;
  input: RelayInput;
  /** Aborted when the gateway gives up on the answer (the caller interrupted, or hung up). */
  signal: AbortSignal;
  /** Sends one event to the gateway, in order. The first call commits the answer (no error status after it). */
  emit: (event: RelayEvent) => void;
}

/** Keypad choices, as on the gather path: a person, or leaving a message. */
const KEY_PERSON = '0';
const KEY_MESSAGE = '1';

/**
 * One relay turn: the caller spoke, pressed a key or stayed silent, and the agent's answer streams
 * back as text tokens while the model writes it. The prompt, the tools (verify_caller included)
 * and the caller's verification are the gather path's; a tool that ends the turn ends the relay
 * session with a handoff. The turn holds the call's lock from reading the state to saving it, so
 * an interrupt that follows trims the lines this turn saved, never lines still being written.
 */
export async function streamRelayTurn(options: StreamRelayTurnOptions): Promise<void> {
  const { runtime, customerId, callSid } = options;
  await runtime.callLocks.withLock({ customerId, callSid, waitMs: runtime.relay.lockWaitMs }, async () => {
    const state = await runtime.callStates.load({ customerId, callSid, timeoutMs: runtime.settings.redisTimeoutMs });
    if (!state) throw new AppError('NOT_FOUND', `Call ${callSid} not found (it never started here, or it ended)`);
    const turn = new RelayTurnWriter(options, state);
    try {
      await answer(turn, options.input);
    } finally {
      await turn.save();
    }
  });
}

/** What the caller heard in this turn, and the events that said it. */
class RelayTurnWriter {
  spoken = '';
  ended = false;
  llmMs: number | undefined;
  /** The moment of the turn: business hours, transfer schedules and the prompt's "now". */
  readonly now = new Date();
  private readonly startedAt = Date.now();

  constructor(
    readonly options: StreamRelayTurnOptions,
    readonly state: CallState,
  ) {}

  get runtime(): RelayRuntime {
    return this.options.runtime;
  }

  get aborted(): boolean {
    return this.options.signal.aborted;
  }

  token(token: string): void {
    if (!token || this.aborted || this.ended) return;
    this.spoken += token;
    this.options.emit({ type: 'text', token, last: false });
  }

  /** A whole sentence the platform says (not the model's). */
  say(text: string): void {
    this.token(this.spoken ? ` ${text}` : text);
  }

  /** Closes the agent's utterance; with a handoff, the session ends after it. */
  finish(handoff?: RelayHandoff): void {
    if (this.aborted || this.ended) return;
    this.options.emit({ type: 'text', token: '', last: true });
    if (handoff) this.options.emit({ type: 'end', handoff });
    this.ended = true;
  }

  system(text: string): void {
    this.state.turns.push({ role: 'system', text, at: new Date().toISOString() });
  }

  /** Saves the state now, mid-turn: a tool's side effect happened, and the next turn must know it (so it is not done twice). */
  async checkpoint(): Promise<void> {
    await this.write('save call state after a tool');
  }

  /** Writes the agent's line (as far as it got) and the state back; a failure is counted, the caller already heard the answer. */
  async save(): Promise<void> {
    const { state } = this;
    const text = this.spoken.trim();
    if (text) {
      state.turns.push({
        role: 'agent',
        text,
        at: new Date().toISOString(),
        ...(this.llmMs === undefined ? {} : { llmMs: this.llmMs }),
        totalMs: Date.now() - this.startedAt,
      });
      state.usage.ttsCharacters += text.length;
    }
    await this.write('save call state');
  }

  private async write(operation: string): Promise<void> {
    const { runtime, state } = this;
    try {
      await runtime.callStates.save({ state, timeoutMs: runtime.settings.redisTimeoutMs, existingOnly: true });
    } catch (error) {
      runtime.failures.dependencyFailed({ dependency: 'redis', error, customerId: state.customerId, callSid: state.callSid, operation });
    }
  }
}

async function answer(turn: RelayTurnWriter, input: RelayInput): Promise<void> {
  const { state, now } = turn;
  const at = now.toISOString();

  if (input.type === 'silence') {
    state.silenceCount += 1;
    // A re-prompt, then an offer of a person or a message, then a polite goodbye (the gather path's steps).
    if (state.silenceCount === 1) turn.say(PLATFORM_PHRASES.silenceReprompt);
    else if (state.silenceCount === 2) turn.say(silenceOffer(canTransfer(state, now)));
    else {
      state.outcome = state.outcome ?? 'no_response';
      turn.say(PLATFORM_PHRASES.silenceGoodbye);
      return turn.finish({ reason: 'hangup' });
    }
    return turn.finish();
  }
  state.silenceCount = 0;

  if (input.type === 'dtmf') {
    state.turns.push({ role: 'caller', text: `(pressed ${input.digit} on the keypad)`, at });
    const transferNumber = input.digit === KEY_PERSON ? transferNumberFor(state, now) : null;
    if (transferNumber) {
      turn.system('Transferred the call to a person.');
      state.outcome = mergeOutcome(state.outcome, 'transferred');
      turn.say(PLATFORM_PHRASES.transferring);
      const whisper = whisperFor(state, { reason: 'The caller asked for a person using the keypad.', caller_name: null });
      return turn.finish({
        reason: 'transfer',
        transfer: transferInstruction(state, turn.runtime.settings, { number: transferNumber, whisper }),
      });
    }
    if (input.digit === KEY_MESSAGE && state.mode === 'conversation') {
      state.mode = 'taking_message';
      turn.say(PLATFORM_PHRASES.takingMessage);
      return turn.finish();
    }
  } else {
    state.turns.push({ role: 'caller', text: input.text, at });
    if (state.mode === 'taking_message') return takeMessage(turn, input.text);
  }
  return askModel(turn);
}

async function takeMessage(turn: RelayTurnWriter, message: string): Promise<void> {
  const { runtime, state } = turn;
  turn.say(await keepWordsAsMessage({ runtime, state, message, timeoutMs: runtime.settings.databaseTimeoutMs }));
  turn.finish({ reason: 'hangup' });
}

async function askModel(turn: RelayTurnWriter): Promise<void> {
  const { runtime, state, now } = turn;
  const { settings } = runtime;
  const apiKey = await openAiKeyFor({ runtime, state, timeoutMs: settings.databaseTimeoutMs });
  if (apiKey === null) return modelUnavailable(turn);
  const messageOptions = { now, lowConfidenceThreshold: settings.lowConfidenceThreshold };
  const messages = buildChatMessages(state, messageOptions);
  const first = await streamCompletion(turn, { apiKey, messages, tools: openAiToolsFor(state, now) });
  if (turn.aborted) return;
  if (first.failed && !turn.spoken) return modelUnavailable(turn);
  state.llmFailureCount = 0;
  if (first.toolCalls.length === 0) return turn.finish();

  const executed = await runToolCalls({
    runtime,
    state,
    deadline: new Deadline(settings.turnBudgetMs),
    reserveMs: 0,
    now,
    checkpoint: () => turn.checkpoint(),
    toolCalls: first.toolCalls,
  });
  if (executed.ending) {
    if (!turn.spoken.trim()) turn.say(executed.ending.say);
    const { next, transfer } = executed.ending;
    return turn.finish(
      next === 'transfer' && transfer
        ? { reason: 'transfer', transfer: transferInstruction(state, settings, transfer) }
        : { reason: 'hangup' },
    );
  }
  // Tools ran and the turn goes on: the model says what happened (it sees the results, with a
  // prompt rebuilt from the state the tools left, and may not call tools again).
  const spokenBefore = turn.spoken;
  await streamCompletion(turn, {
    apiKey,
    messages: withFreshPrompt(
      [
        ...messages,
        { role: 'assistant', content: first.content || null, tool_calls: first.toolCalls },
        ...executed.results.map((result) => ({ role: 'tool' as const, tool_call_id: result.toolCallId, content: result.content })),
      ],
      state,
      messageOptions,
    ),
    tools: openAiToolsFor(state, now),
    toolChoice: 'none',
  });
  if (turn.spoken === spokenBefore) {
    // Without the model's sentence: what failed is said as it is, never claimed as done.
    const failedSays = executed.failed.flatMap((failure) => (failure.say ? [failure.say] : []));
    if (executed.failed.length > 0) turn.say(failedSays.join(' ') || PLATFORM_PHRASES.actionFailed);
    else turn.say(PLATFORM_PHRASES.followUpAfterAction);
  }
  turn.finish();
}

/** The model did not answer (down, slow, no key): the fallback sentence and an offer to take a message. */
function modelUnavailable(turn: RelayTurnWriter): void {
  const { runtime, state } = turn;
  state.llmFailureCount += 1;
  runtime.failures.answeredWithFallback({ customerId: state.customerId, callSid: state.callSid, reason: 'model_unavailable' });
  state.mode = 'taking_message';
  turn.say(PLATFORM_PHRASES.offerMessageAfterFailure);
  turn.finish();
}

interface CompletionResult {
  content: string;
  toolCalls: FunctionToolCall[];
  /** The model failed or was too slow (what it said before that was spoken). */
  failed: boolean;
}

/**
 * Streams one completion: content goes to the caller token by token, tool calls are put together
 * from their deltas. No first token within firstTokenTimeoutMs counts as a failure, so the caller
 * hears the fallback while there is still a conversation to save.
 */
async function streamCompletion(
  turn: RelayTurnWriter,
  request: { apiKey: string | undefined; messages: ChatCompletionMessageParam[]; tools: ChatCompletionTool[]; toolChoice?: 'none' },
): Promise<CompletionResult> {
  const { runtime, state, options } = turn;
  const controller = new AbortController();
  const stopOnAbort = () => controller.abort(options.signal.reason);
  options.signal.addEventListener('abort', stopOnAbort, { once: true });
  let firstTokenAt: number | undefined;
  const startedAt = Date.now();
  const slow = setTimeout(() => controller.abort(new Error('no first token in time')), runtime.relay.firstTokenTimeoutMs);

  let content = '';
  const calls = new Map<number, { id: string; name: string; arguments: string }>();
  try {
    for await (const chunk of runtime.llm.stream({
      ...request,
      model: modelFor(state.tenant.openaiModel, runtime.settings),
      temperature: state.tenant.temperature ?? runtime.settings.defaultTemperature,
      maxCompletionTokens: runtime.settings.maxCompletionTokens,
      signal: controller.signal,
    })) {
      if (chunk.usage) state.usage.llmTokens += chunk.usage.total_tokens;
      const delta = chunk.choices[0]?.delta;
      if (!delta) continue;
      if (delta.content || delta.tool_calls?.length) {
        if (firstTokenAt === undefined) {
          firstTokenAt = Date.now();
          clearTimeout(slow);
          turn.llmMs ??= firstTokenAt - startedAt;
        }
      }
      if (delta.content) {
        content += delta.content;
        turn.token(delta.content);
      }
      for (const part of delta.tool_calls ?? []) {
        const call = calls.get(part.index) ?? { id: '', name: '', arguments: '' };
        if (part.id) call.id = part.id;
        if (part.function?.name) call.name += part.function.name;
        if (part.function?.arguments) call.arguments += part.function.arguments;
        calls.set(part.index, call);
      }
    }
  } catch (error) {
    if (options.signal.aborted) return { content, toolCalls: [], failed: false };
    runtime.failures.dependencyFailed({
      dependency: 'openai',
      error,
      customerId: state.customerId,
      callSid: state.callSid,
      operation: 'streamed chat completion',
    });
    return { content, toolCalls: [], failed: true };
  } finally {
    clearTimeout(slow);
    options.signal.removeEventListener('abort', stopOnAbort);
  }
  const toolCalls: FunctionToolCall[] = [...calls.values()]
    .filter((call) => call.name)
    .map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  return { content, toolCalls, failed: !content.trim() && toolCalls.length === 0 };
}

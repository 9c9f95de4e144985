import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Deadline } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallState } from '../call-runtime/call-state';
import { buildChatMessages } from './build-chat-messages';
import { openChatModel, trimToLastSentence } from './chat-model';
import type { ModelAnswer } from './chat-model';
import { PLATFORM_PHRASES } from './platform-phrases';
import { openAiToolsFor } from './tools';
import { runToolCalls } from './tools/run-tool-calls';
import type { FunctionToolCall, ToolCallsRun } from './tools/run-tool-calls';

export interface AskAgentOptions {
  runtime: CallRuntime;
  /** The call so far, the caller's newest words already appended. Tools record what they do in it. */
  state: CallState;
  deadline: Deadline;
  /** Time the model must leave for speaking its answer and saving the state. */
  reserveMs: number;
  /** The moment of the turn. */
  now: Date;
  /** Saves the call state at once (after a tool with side effects). */
  checkpoint: () => Promise<void>;
}

export type AgentReply =
  | {
      ok: true;
      text: string;
      next: 'gather' | 'transfer' | 'hangup';
      /** With next transfer: where to, and what the person answering hears. */
      transfer?: { number: string; whisper: string };
      llmMs: number;
      tokens: number;
    }
  /** The model could not answer (and no action was taken): the caller hears a platform fallback. */
  | { ok: false; llmMs: number; tokens: number };

/** Below this the corrective second try is not started: it could not finish inside the turn. */
const MIN_RETRY_MS = 400;

/**
 * One turn of the conversation: the model answers the caller, possibly calling tools (one at a
 * time). A tool that ends the turn (transfer, hang-up) decides the next step itself. A tool call
 * whose arguments do not validate goes back to the model with the error for one more try, with
 * tools, if the turn has time; if that fails too, the caller hears that it could not be done,
 * never that it was. After the tools the model is asked once more, without tools, for the
 * sentence that follows, with a prompt rebuilt from the state the tools left (a caller verified a
 * moment ago is a verified caller in that sentence).
 */
export async function askAgent(options: AskAgentOptions): Promise<AgentReply> {
  const { runtime, state, deadline, reserveMs, now } = options;
  const { customerId, callSid } = state;
  const model = await openChatModel(options);
  if (!model) return { ok: false, llmMs: 0, tokens: 0 };
  const messageOptions = { now, lowConfidenceThreshold: runtime.settings.lowConfidenceThreshold };
  const messages = buildChatMessages(state, messageOptions);
  const tools = openAiToolsFor(state, now);
  const done = (
    text: string,
    next: 'gather' | 'transfer' | 'hangup' = 'gather',
    transfer?: { number: string; whisper: string },
  ): AgentReply => ({
    ok: true,
    text,
    next,
    ...(transfer ? { transfer } : {}),
    ...model.usage(),
  });

  let first: ModelAnswer;
  try {
    first = await model.complete({ messages, tools });
    if (!first.message || (!first.message.content?.trim() && !first.message.tool_calls?.length))
      throw new Error('the model returned an empty answer');
  } catch (error) {
    runtime.failures.dependencyFailed({ dependency: 'openai', error, customerId, callSid, operation: 'chat completion' });
    return { ok: false, ...model.usage() };
  }

  const conversation: ChatCompletionMessageParam[] = [...messages];
  let answer = first;
  const failedSays: string[] = [];
  let anyFailed = false;
  for (let attempt = 1; ; attempt++) {
    const toolCalls = functionCalls(answer);
    if (toolCalls.length === 0) return done(spokenText(answer));

    const executed = await runToolCalls({ runtime, state, deadline, reserveMs, now, checkpoint: options.checkpoint, toolCalls });
    if (executed.ending) return done(spokenText(answer) || executed.ending.say, executed.ending.next, executed.ending.transfer);
    conversation.push(...toolExchange(answer, toolCalls, executed));
    anyFailed ||= executed.failed.length > 0;
    failedSays.push(...executed.failed.flatMap((failure) => (failure.say ? [failure.say] : [])));
    if (!executed.invalid) break;
    // Arguments the model can fix: one more try, tools offered again, if the turn still has time.
    if (attempt >= 2 || deadline.allow(runtime.settings.openaiTimeoutMs, reserveMs) < MIN_RETRY_MS)
      return done(PLATFORM_PHRASES.actionFailed);
    try {
      answer = await model.complete({ messages: withFreshPrompt(conversation, state, messageOptions), tools: openAiToolsFor(state, now) });
    } catch (error) {
      runtime.failures.dependencyFailed({
        dependency: 'openai',
        error,
        customerId,
        callSid,
        operation: 'chat completion retry after invalid tool arguments',
      });
      return done(PLATFORM_PHRASES.actionFailed);
    }
  }

  // Tools ran and the turn goes on: the model says what happened (it sees the results, and may not call tools again).
  try {
    const followUp = await model.complete({
      messages: withFreshPrompt(conversation, state, messageOptions),
      tools: openAiToolsFor(state, now),
      toolChoice: 'none',
    });
    const text = spokenText(followUp);
    if (text) return done(text);
  } catch (error) {
    runtime.failures.dependencyFailed({ dependency: 'openai', error, customerId, callSid, operation: 'chat completion after tools' });
    runtime.failures.degraded('follow_up_fallback');
  }
  // Without the model's sentence: what failed is said as it is; what the model said before the tools is not (it may claim what failed).
  if (anyFailed) return done(failedSays.join(' ') || PLATFORM_PHRASES.actionFailed);
  return done(spokenText(first) || PLATFORM_PHRASES.followUpAfterAction);
}

function functionCalls(answer: ModelAnswer): FunctionToolCall[] {
  return (answer.message?.tool_calls ?? []).filter((call): call is FunctionToolCall => call.type === 'function');
}

/** What the caller hears of an answer: its text, trimmed to the last full sentence when the token limit cut it. */
function spokenText(answer: ModelAnswer): string {
  const text = answer.message?.content?.trim() ?? '';
  if (!answer.cutOff || !text) return text;
  return trimToLastSentence(text) ?? PLATFORM_PHRASES.cutOffReply;
}

/** The assistant's tool calls and one tool message per call, as the next completion must see them. */
function toolExchange(answer: ModelAnswer, toolCalls: FunctionToolCall[], executed: ToolCallsRun): ChatCompletionMessageParam[] {
  return [
    { role: 'assistant', content: answer.message?.content ?? null, tool_calls: toolCalls },
    ...executed.results.map((result) => ({ role: 'tool' as const, tool_call_id: result.toolCallId, content: result.content })),
  ];
}

/** The conversation with its system prompt rebuilt from the state as the tools left it. */
export function withFreshPrompt(
  conversation: ChatCompletionMessageParam[],
  state: CallState,
  options: Parameters<typeof buildChatMessages>[1],
): ChatCompletionMessageParam[] {
  const [system] = buildChatMessages(state, options);
  return system ? [system, ...conversation.slice(1)] : conversation;
}

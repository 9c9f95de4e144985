import type { ChatCompletionMessage } from 'openai/resources/chat/completions';
import type { Deadline } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallOutcome, CallState } from '../call-runtime/call-state';
import { buildChatMessages } from './build-chat-messages';
import { openChatModel } from './chat-model';
import { PLATFORM_PHRASES } from './platform-phrases';
import { openAiToolsFor } from './tools';
import { runToolCalls } from './tools/run-tool-calls';
import type { FunctionToolCall } from './tools/run-tool-calls';

export interface AskAgentOptions {
  runtime: CallRuntime;
  /** The call so far, the caller's newest words already appended. */
  state: CallState;
  deadline: Deadline;
  /** Time the model must leave for speaking its answer and saving the state. */
  reserveMs: number;
}

export type AgentReply =
  | {
      ok: true;
      text: string;
      next: 'gather' | 'transfer' | 'hangup';
      /** What the agent did, as transcript lines (role system). */
      actions: string[];
      outcome: CallOutcome | null;
      llmMs: number;
      tokens: number;
    }
  /** The model could not answer (and no action was taken): the caller hears a platform fallback. */
  | { ok: false; llmMs: number; tokens: number };

/**
 * One turn of the conversation: the model answers the caller, possibly calling tools. A tool that
 * ends the turn (transfer, hang-up) decides the next step itself; after other tools the model is
 * asked once more, without tools, for the sentence that follows them.
 */
export async function askAgent(options: AskAgentOptions): Promise<AgentReply> {
  const { runtime, state, deadline, reserveMs } = options;
  const { customerId, callSid } = state;
  const model = await openChatModel(options);
  if (!model) return { ok: false, llmMs: 0, tokens: 0 };
  const messages = buildChatMessages(state);
  const tools = openAiToolsFor(state.tenant);

  let first: ChatCompletionMessage;
  try {
    const message = await model.complete({ messages, tools });
    if (!message || (!message.content?.trim() && !message.tool_calls?.length)) throw new Error('the model returned an empty answer');
    first = message;
  } catch (error) {
    runtime.failures.dependencyFailed({ dependency: 'openai', error, customerId, callSid, operation: 'chat completion' });
    return { ok: false, ...model.usage() };
  }

  const toolCalls = (first.tool_calls ?? []).filter((call): call is FunctionToolCall => call.type === 'function');
  const spoken = first.content?.trim() ?? '';
  if (toolCalls.length === 0) return { ok: true, text: spoken, next: 'gather', actions: [], outcome: null, ...model.usage() };

  const executed = await runToolCalls({ runtime, call: state, deadline, reserveMs, toolCalls });
  const { actions, outcome, ending } = executed;
  if (ending) return { ok: true, text: spoken || ending.say, next: ending.next, actions, outcome, ...model.usage() };

  // Tools ran and the turn goes on: the model says what happened (it sees the results, and may not call tools again).
  let followUp = '';
  try {
    const message = await model.complete({
      messages: [
        ...messages,
        { role: 'assistant', content: first.content ?? null, tool_calls: toolCalls },
        ...executed.results.map((result) => ({ role: 'tool' as const, tool_call_id: result.toolCallId, content: result.content })),
      ],
      tools,
      toolChoice: 'none',
    });
    followUp = message?.content?.trim() ?? '';
  } catch (error) {
    runtime.failures.dependencyFailed({ dependency: 'openai', error, customerId, callSid, operation: 'chat completion after tools' });
    runtime.failures.degraded('follow_up_fallback');
  }
  return { ok: true, text: followUp || spoken || PLATFORM_PHRASES.followUpAfterAction, next: 'gather', actions, outcome, ...model.usage() };
}

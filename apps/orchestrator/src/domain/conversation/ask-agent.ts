import type {
  ChatCompletion,
  ChatCompletionMessage,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import type { Deadline } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallOutcome, CallState } from '../call-runtime/call-state';
import { recordCallerMessage } from '../messages/record-caller-message';
import { agentTools, parseToolCall } from './agent-tools';
import { buildSystemPrompt } from './build-system-prompt';
import { PLATFORM_PHRASES } from './platform-phrases';

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

/** The model sees at most this many transcript lines; older ones are summarized by memory after the call. */
const HISTORY_LIMIT = 40;

/**
 * One turn of the conversation: the model answers the caller, possibly calling tools. Terminal
 * tools (transfer, end) decide the next step themselves; other tools run and the model is asked
 * once more, without tools, for the sentence that follows them.
 */
export async function askAgent(options: AskAgentOptions): Promise<AgentReply> {
  const { runtime, state, deadline, reserveMs } = options;
  const { settings, failures } = runtime;
  const { customerId, callSid, tenant } = state;
  let llmMs = 0;
  let tokens = 0;

  let apiKey: string | undefined;
  if (tenant.byokProviders.includes('openai')) {
    try {
      apiKey = await runtime.providerKeys.tenantKey({
        customerId,
        provider: 'openai',
        timeoutMs: deadline.allow(settings.databaseTimeoutMs, reserveMs),
      });
    } catch (error) {
      // A tenant that brought its own key is never silently billed to the platform's.
      failures.dependencyFailed({ dependency: 'byok', error, customerId, callSid, operation: 'load OpenAI key' });
      return { ok: false, llmMs, tokens };
    }
  }

  const tools = agentTools({ canTransfer: Boolean(tenant.transferNumber) });
  const messages: ChatCompletionMessageParam[] = [
    { role: 'system', content: buildSystemPrompt({ tenant, callerContext: state.callerContext }) },
    ...state.turns.slice(-HISTORY_LIMIT).map(toChatMessage),
  ];
  const complete = async (request: { messages: ChatCompletionMessageParam[]; toolChoice?: 'none' }): Promise<ChatCompletion> => {
    const startedAt = Date.now();
    try {
      const completion = await runtime.llm.complete({
        apiKey,
        model: tenant.openaiModel ?? settings.defaultModel,
        messages: request.messages,
        tools,
        toolChoice: request.toolChoice,
        timeoutMs: deadline.allow(settings.openaiTimeoutMs, reserveMs),
      });
      tokens += completion.usage?.total_tokens ?? 0;
      return completion;
    } finally {
      llmMs += Date.now() - startedAt;
    }
  };

  let first: ChatCompletionMessage;
  try {
    const completion = await complete({ messages });
    const message = completion.choices[0]?.message;
    if (!message || (!message.content?.trim() && !message.tool_calls?.length)) throw new Error('the model returned an empty answer');
    first = message;
  } catch (error) {
    failures.dependencyFailed({ dependency: 'openai', error, customerId, callSid, operation: 'chat completion' });
    return { ok: false, llmMs, tokens };
  }

  const toolCalls = (first.tool_calls ?? []).filter(
    (call): call is Extract<ChatCompletionMessageToolCall, { type: 'function' }> => call.type === 'function',
  );
  if (toolCalls.length === 0) {
    return { ok: true, text: (first.content ?? '').trim(), next: 'gather', actions: [], outcome: null, llmMs, tokens };
  }

  const executed = await runTools({ runtime, state, deadline, reserveMs, toolCalls });
  const spokenWithTools = first.content?.trim() ?? '';
  if (executed.terminal?.type === 'transfer') {
    return {
      ok: true,
      text: spokenWithTools || PLATFORM_PHRASES.transferring,
      next: 'transfer',
      actions: executed.actions,
      outcome: 'transferred',
      llmMs,
      tokens,
    };
  }
  if (executed.terminal?.type === 'end') {
    return {
      ok: true,
      text: spokenWithTools || executed.terminal.closingLine || PLATFORM_PHRASES.goodbye,
      next: 'hangup',
      actions: executed.actions,
      outcome: executed.outcome ?? 'completed',
      llmMs,
      tokens,
    };
  }

  // Non-terminal tools ran: the model says what happened (it sees the results, and may not call tools again).
  let followUp = '';
  try {
    const completion = await complete({
      messages: [
        ...messages,
        { role: 'assistant', content: first.content ?? null, tool_calls: toolCalls },
        ...executed.results.map((result) => ({ role: 'tool' as const, tool_call_id: result.toolCallId, content: result.content })),
      ],
      toolChoice: 'none',
    });
    followUp = completion.choices[0]?.message.content?.trim() ?? '';
  } catch (error) {
    failures.dependencyFailed({ dependency: 'openai', error, customerId, callSid, operation: 'chat completion after tools' });
    failures.degraded('follow_up_fallback');
  }
  return {
    ok: true,
    text: followUp || spokenWithTools || PLATFORM_PHRASES.followUpAfterAction,
    next: 'gather',
    actions: executed.actions,
    outcome: executed.outcome,
    llmMs,
    tokens,
  };
}

function toChatMessage(turn: CallState['turns'][number]): ChatCompletionMessageParam {
  if (turn.role === 'caller') return { role: 'user', content: turn.text };
  if (turn.role === 'agent') return { role: 'assistant', content: turn.text };
  return { role: 'system', content: turn.text };
}

interface ToolRun {
  results: Array<{ toolCallId: string; content: string }>;
  actions: string[];
  terminal: { type: 'transfer' } | { type: 'end'; closingLine: string | undefined } | null;
  outcome: CallOutcome | null;
}

async function runTools(options: {
  runtime: CallRuntime;
  state: CallState;
  deadline: Deadline;
  reserveMs: number;
  toolCalls: Array<Extract<ChatCompletionMessageToolCall, { type: 'function' }>>;
}): Promise<ToolRun> {
  const { runtime, state, deadline, reserveMs, toolCalls } = options;
  const { customerId, callSid, callerPhone, tenant } = state;
  const { settings, failures } = runtime;
  const run: ToolRun = { results: [], actions: [], terminal: null, outcome: null };
  const answer = (toolCallId: string, content: Record<string, unknown>) => run.results.push({ toolCallId, content: JSON.stringify(content) });

  for (const call of toolCalls) {
    const parsed = parseToolCall(call.function.name, call.function.arguments);
    if ('error' in parsed) {
      answer(call.id, { ok: false, error: parsed.error });
      continue;
    }

    switch (parsed.name) {
      case 'transfer_to_human': {
        if (!tenant.transferNumber) {
          answer(call.id, { ok: false, error: 'no one is available for a transfer; offer to take a message' });
          break;
        }
        run.terminal = { type: 'transfer' };
        run.actions.push('Transferred the call to a person.');
        answer(call.id, { ok: true });
        break;
      }
      case 'end_call': {
        if (run.terminal?.type !== 'transfer') run.terminal = { type: 'end', closingLine: parsed.args.closing_line || undefined };
        answer(call.id, { ok: true });
        break;
      }
      case 'take_message':
      case 'request_callback': {
        const isCallback = parsed.name === 'request_callback';
        try {
          await recordCallerMessage({
            db: runtime.db,
            customerId,
            callSid,
            kind: isCallback ? 'callback' : 'message',
            callerPhone,
            callerName: parsed.args.caller_name,
            message: parsed.name === 'request_callback' ? parsed.args.reason : parsed.args.message,
            callbackTime: parsed.name === 'request_callback' ? parsed.args.callback_time : undefined,
            timeoutMs: deadline.allow(settings.databaseTimeoutMs, reserveMs),
          });
          run.actions.push(isCallback ? 'Recorded a callback request.' : 'Took a message for the business.');
          run.outcome = run.outcome ?? (isCallback ? 'callback_requested' : 'message_taken');
          answer(call.id, { ok: true });
        } catch (error) {
          failures.dependencyFailed({ dependency: 'postgres', error, customerId, callSid, operation: parsed.name });
          answer(call.id, { ok: false, error: 'the message could not be saved right now' });
        }
        break;
      }
      case 'send_sms': {
        try {
          await runtime.sms.sendMessage({
            customerId,
            callSid,
            to: callerPhone,
            body: parsed.args.message,
            // Same call + same tool call id = same text: a retried request never texts twice.
            idempotencyKey: `${callSid}:${call.id}`,
            timeoutMs: deadline.allow(settings.smsTimeoutMs, reserveMs),
          });
          run.actions.push('Sent the caller a text message.');
          answer(call.id, { ok: true });
        } catch (error) {
          failures.dependencyFailed({ dependency: 'sms', error, customerId, callSid, operation: 'send_sms' });
          answer(call.id, { ok: false, error: 'the text could not be sent right now' });
        }
        break;
      }
    }
  }
  return run;
}

import { createHash } from 'node:crypto';
import type { ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import type { Deadline } from '../../../lib/timeout';
import { mergeOutcome } from '../../call-runtime/call-state';
import type { CallState } from '../../call-runtime/call-state';
import type { AgentTool, ToolCall, ToolContext, ToolResult, ToolRuntime, TurnEnding } from './define-tool';
import { findTool, isAvailable } from './index';

export type FunctionToolCall = Extract<ChatCompletionMessageToolCall, { type: 'function' }>;

/** The call state a tool run reads and changes: the call itself, its transcript, outcome and past effects. */
export type ToolRunState = ToolCall & Pick<CallState, 'turns' | 'outcome' | 'toolEffects'>;

export interface ToolCallsRun {
  /** One result per tool call, in order: the tool messages of the next completion. */
  results: Array<{ toolCallId: string; content: string }>;
  /** Some call named no tool or had arguments that did not validate: the model may correct itself once. */
  invalid: boolean;
  /** Calls that did nothing (invalid, refused or failed), with what the caller may hear about each. */
  failed: Array<{ tool: string; say?: string }>;
  /** Set when a tool that ends the turn succeeded. */
  ending: { next: TurnEnding; say: string; transfer?: { number: string; whisper: string } } | null;
}

/** A transfer outranks a hang-up; of two alike, the later one counts. */
const ENDING_RANK: Record<TurnEnding, number> = { transfer: 2, hangup: 1 };

/** Validates one tool call from the model; the error is fed back to the model as the tool's result. */
export function parseToolCall(name: string, rawArguments: string): { tool: AgentTool; args: Record<string, unknown> } | { error: string } {
  const tool = findTool(name);
  if (!tool) return { error: `unknown tool ${name}` };
  let json: unknown;
  try {
    json = JSON.parse(rawArguments || '{}');
  } catch {
    return { error: 'arguments are not valid JSON' };
  }
  const parsed = tool.args.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `invalid arguments: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unreadable'}` };
  }
  return { tool, args: parsed.data };
}

/**
 * The identity of a request: the tool and its arguments with case, spacing and trailing
 * punctuation evened out, hashed. "Text me the address." and "text me the address" are one request.
 */
export function effectKeyOf(toolName: string, args: Record<string, unknown>): string {
  const normalized = Object.keys(args)
    .sort()
    .map((key) => {
      const value = args[key];
      return [
        key,
        typeof value === 'string'
          ? value
              .toLowerCase()
              .replace(/\s+/g, ' ')
              .replace(/[\s.!?,;:]+$/, '')
              .trim()
          : value,
      ];
    });
  return createHash('sha256')
    .update(`${toolName}\0${JSON.stringify(normalized)}`)
    .digest('hex')
    .slice(0, 32);
}

interface RunOptions {
  runtime: ToolRuntime;
  /** The call state: tools read the call from it, and their effects are recorded in it at once. */
  state: ToolRunState;
  deadline: Deadline;
  /** Time the turn must keep for answering after the tools. */
  reserveMs: number;
  now: Date;
  /**
   * Saves the call state now. Called after a tool with side effects ran, so what it did (and that
   * it did it) survives a turn that then runs out of time: the caller repeating the request on
   * the next turn finds it done instead of doing it twice.
   */
  checkpoint: () => Promise<void>;
}

/** Runs the model's tool calls one after the other, each through the tool registry, and records what they did in the call state. */
export async function runToolCalls(options: RunOptions & { toolCalls: FunctionToolCall[] }): Promise<ToolCallsRun> {
  const { state } = options;
  const run: ToolCallsRun = { results: [], invalid: false, failed: [], ending: null };
  for (const toolCall of options.toolCalls) {
    const executed = await runToolCall(toolCall, options);
    const { tool, result } = executed;
    const content = result.ok
      ? {
          ok: true,
          ...(executed.duplicate ? { already_done: true, note: 'this was already done earlier in this call; it was not repeated' } : {}),
          ...result.reply,
        }
      : { ok: false, error: result.error };
    run.results.push({ toolCallId: toolCall.id, content: JSON.stringify(content) });
    if (!result.ok) {
      if (executed.invalid) run.invalid = true;
      run.failed.push({ tool: toolCall.function.name, ...(result.say ? { say: result.say } : {}) });
      if (tool?.sideEffect) await options.checkpoint();
      continue;
    }
    if (!tool) continue;
    if (!executed.duplicate) {
      if (result.action) state.turns.push({ role: 'system', text: result.action, at: new Date().toISOString() });
      if (result.outcome) state.outcome = mergeOutcome(state.outcome, result.outcome);
      if (tool.sideEffect) {
        state.toolEffects.push({ key: executed.effectKey, tool: tool.name, at: new Date().toISOString() });
        await options.checkpoint();
      }
    }
    const next = tool.endsTurn;
    if (next && 'say' in result && (!run.ending || ENDING_RANK[next] >= ENDING_RANK[run.ending.next])) {
      run.ending = { next, say: result.say, ...(result.transfer ? { transfer: result.transfer } : {}) };
    }
  }
  return run;
}

interface ExecutedToolCall {
  tool: AgentTool | null;
  result: ToolResult;
  effectKey: string;
  /** The arguments did not validate (or the tool does not exist). */
  invalid?: boolean;
  /** The same request already succeeded in this call: answered as done, not done again. */
  duplicate?: boolean;
}

async function runToolCall(toolCall: FunctionToolCall, options: RunOptions): Promise<ExecutedToolCall> {
  const { runtime, state, deadline, reserveMs, now } = options;
  const parsed = parseToolCall(toolCall.function.name, toolCall.function.arguments);
  if ('error' in parsed) return { tool: null, result: { ok: false, error: parsed.error }, effectKey: '', invalid: true };
  const { tool, args } = parsed;
  const effectKey = effectKeyOf(tool.name, args);
  // Not offered, yet called (models do that): refused the way the tool asks.
  if (!isAvailable(tool, state, now)) {
    return { tool, result: { ok: false, error: tool.unavailable?.error ?? `${tool.name} is not available on this call` }, effectKey };
  }
  if (tool.sideEffect && state.toolEffects.some((effect) => effect.key === effectKey)) {
    return { tool, result: { ok: true }, effectKey, duplicate: true };
  }
  const context: ToolContext = {
    runtime,
    call: state,
    toolCallId: toolCall.id,
    effectKey,
    now,
    timeoutMs: (preferredMs) => deadline.allow(preferredMs, reserveMs),
  };
  return { tool, result: await tool.run(context, args), effectKey };
}

import type { ChatCompletionMessageToolCall } from 'openai/resources/chat/completions';
import type { Deadline } from '../../../lib/timeout';
import { mergeOutcome } from '../../call-runtime/call-state';
import type { CallOutcome } from '../../call-runtime/call-state';
import type { AgentTool, ToolContext, ToolResult, ToolRuntime, TurnEnding } from './define-tool';
import { findTool, isAvailable } from './index';

export type FunctionToolCall = Extract<ChatCompletionMessageToolCall, { type: 'function' }>;

export interface ToolCallsRun {
  /** One result per tool call, in order: the tool messages of the follow-up completion. */
  results: Array<{ toolCallId: string; content: string }>;
  /** What the agent did, as transcript lines (role system). */
  actions: string[];
  outcome: CallOutcome | null;
  /** Set when a tool that ends the turn succeeded. */
  ending: { next: TurnEnding; say: string } | null;
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

interface RunOptions {
  runtime: ToolRuntime;
  call: ToolContext['call'];
  deadline: Deadline;
  /** Time the turn must keep for answering after the tools. */
  reserveMs: number;
}

/** Runs the model's tool calls one after the other, each through the tool registry. */
export async function runToolCalls(options: RunOptions & { toolCalls: FunctionToolCall[] }): Promise<ToolCallsRun> {
  const run: ToolCallsRun = { results: [], actions: [], outcome: null, ending: null };
  for (const toolCall of options.toolCalls) {
    const { tool, result } = await runToolCall(toolCall, options);
    run.results.push({
      toolCallId: toolCall.id,
      content: JSON.stringify(result.ok ? { ok: true } : { ok: false, error: result.error }),
    });
    if (!result.ok || !tool) continue;
    if (result.action) run.actions.push(result.action);
    if (result.outcome) run.outcome = mergeOutcome(run.outcome, result.outcome);
    const next = tool.endsTurn;
    if (next && 'say' in result && (!run.ending || ENDING_RANK[next] >= ENDING_RANK[run.ending.next])) {
      run.ending = { next, say: result.say };
    }
  }
  return run;
}

async function runToolCall(toolCall: FunctionToolCall, options: RunOptions): Promise<{ tool: AgentTool | null; result: ToolResult }> {
  const { runtime, call, deadline, reserveMs } = options;
  const parsed = parseToolCall(toolCall.function.name, toolCall.function.arguments);
  if ('error' in parsed) return { tool: null, result: { ok: false, error: parsed.error } };
  const { tool, args } = parsed;
  // Not offered, yet called (models do that): refused the way the tool asks.
  if (!isAvailable(tool, call.tenant)) {
    return { tool, result: { ok: false, error: tool.unavailable?.error ?? `${tool.name} is not available on this call` } };
  }
  const context: ToolContext = {
    runtime,
    call,
    toolCallId: toolCall.id,
    timeoutMs: (preferredMs) => deadline.allow(preferredMs, reserveMs),
  };
  return { tool, result: await tool.run(context, args) };
}

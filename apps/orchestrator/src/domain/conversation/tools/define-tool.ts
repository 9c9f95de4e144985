import { zodRealtimeFunction } from 'openai/helpers/zod';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import type { z } from 'zod';
import type { CallRuntime } from '../../call-runtime/call-runtime';
import type { CallOutcome, CallState } from '../../call-runtime/call-state';
import type { TenantSnapshot } from '../../tenants/tenant-snapshot';
import type { Dependency } from '../../../observability/metrics';

/** What tools may use of the call runtime (widen it here when a new tool needs more). */
export type ToolRuntime = Pick<CallRuntime, 'db' | 'sms' | 'failures' | 'settings'>;

/** What a tool's `run` gets besides its arguments. */
export interface ToolContext {
  runtime: ToolRuntime;
  /** The call the tool acts for: the tenant and the caller's number come from here, never from the model. */
  call: Pick<CallState, 'customerId' | 'callSid' | 'callerPhone' | 'tenant'>;
  /** The model's id of this tool call, unique within the call: the key that makes a side effect idempotent. */
  toolCallId: string;
  /** How long one dependency call may take: `preferredMs`, shortened so the turn can still answer in time. */
  timeoutMs(preferredMs: number): number;
}

/** How the turn ends when a tool that ends it succeeds. */
export type TurnEnding = 'transfer' | 'hangup';

/** The tool did not do what the model asked; `error` goes back to the model, to correct or explain. */
export interface ToolFailure {
  ok: false;
  error: string;
}

export interface ToolSuccess {
  ok: true;
  /** What the agent did, as a transcript line (role system). */
  action?: string;
  /** What this means for the call's outcome (merged with the rest by rank). */
  outcome?: CallOutcome;
}

export interface TurnEndingSuccess extends ToolSuccess {
  /** What the caller hears when the model called the tool without saying anything. */
  say: string;
}

/** The model sees `{"ok":true}` or `{"ok":false,"error":...}`; the rest is for the call. */
export type ToolResult<Ends extends TurnEnding | false = TurnEnding | false> =
  | ToolFailure
  | (Ends extends TurnEnding ? TurnEndingSuccess : ToolSuccess);

/**
 * One action the model may take during a call: everything about it lives in its own file under
 * tools/ and is listed once in tools/index.ts, which builds the OpenAI tool list, the prompt's
 * guidelines and the dispatch from it.
 */
export interface AgentTool<Args extends z.AnyZodObject = z.AnyZodObject, Ends extends TurnEnding | false = TurnEnding | false> {
  /** The name on the wire (snake_case); the file is its kebab-case. */
  name: string;
  /** For the model: what the tool does. */
  description: string;
  /**
   * The arguments, checked before `run`; invalid ones go back to the model as the tool's result.
   * Each field's `.describe()` is its description for the model.
   */
  args: Args;
  /** The system prompt's line on when (and how) to use the tool. */
  guideline: string;
  /** `false`: after it runs, the model is asked once more for the sentence that follows. Otherwise a success ends the turn this way. */
  endsTurn: Ends;
  /** Offered only when this is true for the call's tenant (default: always). */
  available?: (tenant: TenantSnapshot) => boolean;
  /** When not available: the prompt line said instead, and the error a call to the tool gets anyway. */
  unavailable?: { guideline?: string; error: string };
  run(context: ToolContext, args: z.output<Args>): Promise<ToolResult<Ends>>;
}

/** Declares a tool; the types tie `run` to the arguments and to what a tool that ends the turn must return. */
export function defineTool<Args extends z.AnyZodObject, Ends extends TurnEnding | false>(tool: AgentTool<Args, Ends>): AgentTool<Args, Ends> {
  return tool;
}

/**
 * One dependency call of a tool (a database write, a request to another service): when it fails,
 * the failure is counted and logged, and the model hears `error` instead.
 */
export async function callDependency<T>(
  context: ToolContext,
  options: { dependency: Dependency; operation: string; error: string },
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | ToolFailure> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const { customerId, callSid } = context.call;
    context.runtime.failures.dependencyFailed({ dependency: options.dependency, error, customerId, callSid, operation: options.operation });
    return { ok: false, error: options.error };
  }
}

/**
 * The tool as OpenAI's chat API receives it, its JSON schema generated from `args` by the openai
 * library. Not `zodFunction()`: it always builds a strict tool, and strict mode would change what
 * the model may send (every optional field required and nullable, no `.trim()`, and `minLength` /
 * `maxLength`, which strict mode may reject: openai-node #1119, #1988). The tools stay non-strict,
 * as they always were, and zod checks the arguments before `run`. `zodRealtimeFunction()` is the same
 * library's non-strict conversion; its tool shape is flat where the chat API nests it in `function`.
 */
export function toOpenAiTool(tool: AgentTool): ChatCompletionFunctionTool {
  const { parameters } = zodRealtimeFunction({ name: tool.name, description: tool.description, parameters: tool.args });
  if (typeof parameters !== 'object' || parameters === null) throw new Error(`tool ${tool.name}: no JSON schema for its arguments`);
  // The draft marker constrains nothing: it is left out of the request.
  const schema = Object.fromEntries(Object.entries(parameters).filter(([keyword]) => keyword !== '$schema'));
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: schema } };
}

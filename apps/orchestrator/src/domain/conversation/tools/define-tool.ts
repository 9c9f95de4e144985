import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { CallRuntime } from '../../call-runtime/call-runtime';
import type { CallOutcome, CallState } from '../../call-runtime/call-state';
import type { Dependency } from '../../../observability/metrics';

/** What tools may use of the call runtime (widen it here when a new tool needs more). */
export type ToolRuntime = Pick<CallRuntime, 'db' | 'sms' | 'failures' | 'settings'>;

/**
 * The call a tool acts for: the tenant, the caller's number and what is known about the caller
 * come from here, never from the model. It is the call state itself, so a tool that changes the
 * call (verify_caller marks the caller verified) changes this object, and the turn saves it.
 */
export type ToolCall = Pick<
  CallState,
  'customerId' | 'callSid' | 'callerPhone' | 'calledPhone' | 'tenant' | 'callerContext' | 'verification' | 'afterHours' | 'transferFailed'
>;

/** What a tool's `run` gets besides its arguments. */
export interface ToolContext {
  runtime: ToolRuntime;
  call: ToolCall;
  /** The model's id of this tool call. */
  toolCallId: string;
  /** Hash of the tool and its normalized arguments: the same request in this call has the same key (idempotency). */
  effectKey: string;
  /** The moment of the turn (business hours, transfer schedule). */
  now: Date;
  /** How long one dependency call may take: `preferredMs`, shortened so the turn can still answer in time. */
  timeoutMs(preferredMs: number): number;
}

/** How the turn ends when a tool that ends it succeeds. */
export type TurnEnding = 'transfer' | 'hangup';

/** The tool did not do what the model asked; `error` goes back to the model, to correct or explain. */
export interface ToolFailure {
  ok: false;
  error: string;
  /** What the caller hears if the model cannot put it in words (it must be true: nothing was done). */
  say?: string;
}

export interface ToolSuccess {
  ok: true;
  /** What the agent did, as a transcript line (role system). */
  action?: string;
  /** What this means for the call's outcome (merged with the rest by rank). */
  outcome?: CallOutcome;
  /** More for the model than `{"ok":true}` (e.g. the callback number as it was stored, to read back). Never stored details. */
  reply?: Record<string, string | boolean>;
}

export interface TurnEndingSuccess extends ToolSuccess {
  /** What the caller hears when the model called the tool without saying anything. */
  say: string;
  /** A transfer: the number (from the tenant's settings) and what the person answering hears first. */
  transfer?: { number: string; whisper: string };
}

/** The model sees `{"ok":true,...reply}` or `{"ok":false,"error":...}`; the rest is for the call. */
export type ToolResult<Ends extends TurnEnding | false = TurnEnding | false> =
  ToolFailure | (Ends extends TurnEnding ? TurnEndingSuccess : ToolSuccess);

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
   * The arguments, checked before `run`; invalid ones go back to the model (with one more try in
   * the turn). Each field's `.describe()` is its description for the model. Fields the model may
   * leave empty are `.nullable()`: the strict schema OpenAI gets requires every field, so "none"
   * is sent as null.
   */
  args: Args;
  /** The system prompt's line on when (and how) to use the tool. */
  guideline: string;
  /** `false`: after it runs, the model is asked once more for the sentence that follows. Otherwise a success ends the turn this way. */
  endsTurn: Ends;
  /**
   * It changes something outside the call (a stored message, a text): the same request twice in
   * one call is done once, and a success is saved at once, so a turn that runs out of time does
   * not lose it.
   */
  sideEffect: boolean;
  /** Offered only when this is true for the call at this moment (default: always). */
  available?: (call: ToolCall, now: Date) => boolean;
  /** When not available: the prompt line said instead, and the error a call to the tool gets anyway. */
  unavailable?: { guideline?: string; error: string };
  run(context: ToolContext, args: z.output<Args>): Promise<ToolResult<Ends>>;
}

/** Declares a tool; the types tie `run` to the arguments and to what a tool that ends the turn must return. */
export function defineTool<Args extends z.AnyZodObject, Ends extends TurnEnding | false>(
  tool: AgentTool<Args, Ends>,
): AgentTool<Args, Ends> {
  return tool;
}

/**
 * One dependency call of a tool (a database write, a request to another service): when it fails,
 * the failure is counted and logged, and the model hears `error` instead.
 */
export async function callDependency<T>(
  context: ToolContext,
  options: { dependency: Dependency; operation: string; error: string; say?: string },
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | ToolFailure> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const { customerId, callSid } = context.call;
    context.runtime.failures.dependencyFailed({ dependency: options.dependency, error, customerId, callSid, operation: options.operation });
    return { ok: false, error: options.error, ...(options.say ? { say: options.say } : {}) };
  }
}

type JsonSchema = Record<string, unknown>;

/**
 * The JSON schema of one argument in OpenAI's strict subset: the type (made nullable for
 * `.nullable()` fields), enums and descriptions. Length limits and other checks are left to zod,
 * which validates every call before `run` (strict mode refuses some of those keywords).
 */
function strictSchemaOf(field: z.ZodTypeAny, description: string | undefined): JsonSchema {
  let inner = field;
  let nullable = false;
  for (;;) {
    if (inner instanceof z.ZodNullable || inner instanceof z.ZodOptional) {
      nullable = true;
      inner = inner.unwrap() as z.ZodTypeAny;
    } else if (inner instanceof z.ZodDefault) {
      inner = inner.removeDefault() as z.ZodTypeAny;
    } else if (inner instanceof z.ZodEffects) {
      inner = inner.innerType() as z.ZodTypeAny;
    } else {
      break;
    }
  }
  let schema: JsonSchema;
  if (inner instanceof z.ZodString) schema = { type: 'string' };
  else if (inner instanceof z.ZodBoolean) schema = { type: 'boolean' };
  else if (inner instanceof z.ZodNumber) schema = { type: inner.isInt ? 'integer' : 'number' };
  else if (inner instanceof z.ZodEnum) schema = { type: 'string', enum: [...(inner.options as string[])] };
  else if (inner instanceof z.ZodLiteral && typeof inner.value === 'boolean') schema = { type: 'boolean' };
  else throw new Error(`tool argument type ${inner.constructor.name} has no strict JSON schema here; add it to strictSchemaOf`);
  if (nullable) {
    schema = schema.enum
      ? { ...schema, type: [schema.type, 'null'], enum: [...(schema.enum as unknown[]), null] }
      : { ...schema, type: [schema.type, 'null'] };
  }
  return description ? { ...schema, description } : schema;
}

/**
 * The tool as OpenAI's chat API receives it: a strict function, so the model's arguments always
 * have the schema's shape (every field present, nothing extra), and zod then checks the content
 * (lengths, formats, consent) before `run`.
 */
export function toOpenAiTool(tool: AgentTool): ChatCompletionFunctionTool {
  const shape = tool.args.shape as Record<string, z.ZodTypeAny>;
  const properties = Object.fromEntries(Object.entries(shape).map(([name, field]) => [name, strictSchemaOf(field, field.description)]));
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: { type: 'object', properties, required: Object.keys(shape), additionalProperties: false },
      strict: true,
    },
  };
}

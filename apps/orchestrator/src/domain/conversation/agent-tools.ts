import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';

/**
 * The actions the model may take. Arguments are validated here before anything runs, and none of
 * them can choose where an action goes: transfers dial the tenant's configured number, texts go
 * to the caller's own number, messages are stored for the call's tenant.
 */
export const toolArgumentSchemas = {
  transfer_to_human: z.object({ reason: z.string().max(500).optional() }),
  take_message: z.object({
    message: z.string().trim().min(1, 'message is required').max(2000),
    caller_name: z.string().trim().max(200).optional(),
  }),
  request_callback: z.object({
    reason: z.string().trim().min(1, 'reason is required').max(2000),
    caller_name: z.string().trim().max(200).optional(),
    callback_time: z.string().trim().max(200).optional(),
  }),
  send_sms: z.object({ message: z.string().trim().min(1, 'message is required').max(640) }),
  end_call: z.object({ closing_line: z.string().trim().max(500).optional() }),
} as const;

export type ToolName = keyof typeof toolArgumentSchemas;

export function isToolName(name: string): name is ToolName {
  return Object.hasOwn(toolArgumentSchemas, name);
}

function tool(name: ToolName, description: string, properties: Record<string, unknown>, required: string[]): ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: { name, description, parameters: { type: 'object', properties, required, additionalProperties: false } },
  };
}

const text = (description: string) => ({ type: 'string', description });

/** The tool list of a turn; transfer_to_human only exists when the tenant has a transfer number. */
export function agentTools(options: { canTransfer: boolean }): ChatCompletionFunctionTool[] {
  return [
    ...(options.canTransfer
      ? [tool('transfer_to_human', 'Transfer the call to a person at the business.', { reason: text('Why the caller needs a person') }, [])]
      : []),
    tool(
      'take_message',
      'Record a message from the caller for the business.',
      { message: text('The message, in the caller’s words'), caller_name: text('The caller’s name, if given') },
      ['message'],
    ),
    tool(
      'request_callback',
      'Record that the caller wants to be called back.',
      {
        reason: text('What the callback is about'),
        caller_name: text('The caller’s name, if given'),
        callback_time: text('When to call back, as the caller said it'),
      },
      ['reason'],
    ),
    tool('send_sms', 'Send a text message to the number the caller is calling from.', { message: text('The text to send') }, ['message']),
    tool('end_call', 'End the call after saying goodbye.', { closing_line: text('The last sentence to say') }, []),
  ];
}

/** A tool call whose name is known and whose arguments passed validation. */
export type ParsedToolCall = { [K in ToolName]: { name: K; args: z.output<(typeof toolArgumentSchemas)[K]> } }[ToolName];

/** Validates one tool call from the model; the error is fed back to the model as the tool's result. */
export function parseToolCall(name: string, rawArguments: string): ParsedToolCall | { error: string } {
  if (!isToolName(name)) return { error: `unknown tool ${name}` };
  let json: unknown;
  try {
    json = JSON.parse(rawArguments || '{}');
  } catch {
    return { error: 'arguments are not valid JSON' };
  }
  const parsed = toolArgumentSchemas[name].safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { error: `invalid arguments: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unreadable'}` };
  }
  // The schema was chosen by `name`, so the data matches that name's arguments.
  return { name, args: parsed.data } as ParsedToolCall;
}

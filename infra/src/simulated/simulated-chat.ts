import { messageText } from '@neurosphere/testing';
import type { ChatAnswer, ChatRequest } from '@neurosphere/testing';
import { exampleFromSchema } from './example-from-schema';
import type { JsonSchema } from './example-from-schema';

/** "my name is Dana Whitfield" / "this is Dana Whitfield": the name a caller gave, if any. */
function nameIn(text: string): string | null {
  const match = /\b(?:[Mm]y name is|[Tt]his is|I am|I'm)\s+([A-Z][a-zA-Z'-]+(?:\s+[A-Z][a-zA-Z'-]+)?)/.exec(text);
  return match?.[1] ?? null;
}

/** What the simulated agent says after a tool ran: the truth about its result (never "done" after a failure). */
function afterTool(content: string): ChatAnswer {
  let result: { ok?: boolean; error?: string; verified?: boolean; callback_number?: string; already_done?: boolean } = {};
  try {
    result = JSON.parse(content) as typeof result;
  } catch {
    // Not JSON: treated as a plain success below.
  }
  if (result.ok === false) return { content: `(Simulated assistant) I couldn't do that: ${result.error ?? 'it failed'}.` };
  if (result.verified) return { content: 'Thank you, you are verified. How can I help with your account?' };
  if (result.callback_number) return { content: `I have noted a callback to ${result.callback_number}. Is there anything else?` };
  if (result.already_done) return { content: 'That was already done earlier in this call. Anything else?' };
  return { content: 'Done. Is there anything else I can help you with?' };
}

/**
 * The local stack's stand-in for OpenAI when no key is configured: deterministic, obviously
 * simulated, and shaped like a real model's answers so every code path (tools, structured
 * summaries) runs. It recognizes a few plain requests so a developer can try each tool from the
 * call simulator: "my name is Dana Whitfield from Springfield" (verify a known caller), "transfer
 * me", "take a message ...", "call me back" (after giving a name), "text me ...", "bye". Tool
 * arguments follow the strict schemas: every field present, null when there is nothing to say.
 */
export function simulatedChatAnswer(request: ChatRequest): ChatAnswer {
  const schema = request.response_format?.json_schema?.schema as JsonSchema | undefined;
  const transcript = request.messages.map((message) => messageText(message.content)).join('\n');
  if (schema) {
    const gist = transcript.replace(/\s+/g, ' ').slice(-200).trim();
    return {
      json: exampleFromSchema(schema, (name) => (name === 'summary' ? `Simulated summary (no OpenAI key configured): ${gist}` : '')),
    };
  }

  const lastMessage = request.messages[request.messages.length - 1];
  if (lastMessage?.role === 'tool') return afterTool(messageText(lastMessage.content));
  const callerLines = request.messages.filter((message) => message.role === 'user').map((message) => messageText(message.content));
  const said = (callerLines.at(-1) ?? '').trim();
  const lower = said.toLowerCase();
  const name =
    nameIn(said) ??
    callerLines
      .map(nameIn)
      .reverse()
      .find((found) => found !== null) ??
    null;
  const offered = new Set((request.tools ?? []).map((tool) => tool.function.name));
  const call = (toolName: string, args: Record<string, unknown>): ChatAnswer | undefined =>
    offered.has(toolName) ? { toolCalls: [{ name: toolName, arguments: args }] } : undefined;

  const toolAnswer =
    (nameIn(said) && call('verify_caller', { full_name: nameIn(said), detail: said })) ||
    (/\bmessage\b/.test(lower) && call('take_message', { message: said, caller_name: name })) ||
    (/\bcall me back\b|\bcallback\b/.test(lower) &&
      (name
        ? call('request_callback', { reason: said, caller_name: name, callback_number: 'this number', callback_time: null })
        : { content: 'Of course. May I have your name first?' })) ||
    (/\b(transfer|human|person|agent)\b/.test(lower) && call('transfer_to_human', { reason: said, caller_name: name })) ||
    (/\b(text|sms)\b/.test(lower) && call('send_sms', { message: `You asked: ${said}`, consent: true })) ||
    (/\b(bye|goodbye|that's all)\b/.test(lower) && call('end_call', { closing_line: 'Thanks for calling. Goodbye!' }));
  if (toolAnswer) return toolAnswer;
  return { content: said ? `(Simulated assistant) You said: "${said}". How else can I help?` : 'How can I help?' };
}

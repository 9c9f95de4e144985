import type { ChatAnswer, ChatRequest } from '@neurosphere/testing';
import { exampleFromSchema } from './example-from-schema';
import type { JsonSchema } from './example-from-schema';

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : '')).join(' ');
  }
  return '';
}

/**
 * The local stack's stand-in for OpenAI when no key is configured: deterministic, obviously
 * simulated, and shaped like a real model's answers so every code path (tools, structured
 * summaries) runs. It recognizes a few plain requests so a developer can try each tool from the
 * call simulator: "transfer me", "take a message ...", "text me ...", "bye".
 */
export function simulatedChatAnswer(request: ChatRequest): ChatAnswer {
  const schema = request.response_format?.json_schema?.schema as JsonSchema | undefined;
  const transcript = request.messages.map((message) => textOf(message.content)).join('\n');
  if (schema) {
    const gist = transcript.replace(/\s+/g, ' ').slice(-200).trim();
    return {
      json: exampleFromSchema(schema, (name) =>
        name === 'summary' ? `Simulated summary (no OpenAI key configured): ${gist}` : '',
      ),
    };
  }

  const lastMessage = request.messages[request.messages.length - 1];
  if (lastMessage?.role === 'tool') {
    return { content: 'Done. Is there anything else I can help you with?' };
  }
  const lastCallerLine = [...request.messages].reverse().find((message) => message.role === 'user');
  const said = textOf(lastCallerLine?.content).trim();
  const lower = said.toLowerCase();
  const offered = new Set((request.tools ?? []).map((tool) => tool.function.name));
  const call = (name: string, args: Record<string, unknown>): ChatAnswer | undefined =>
    offered.has(name) ? { toolCalls: [{ name, arguments: args }] } : undefined;

  const toolAnswer =
    (/\b(transfer|human|person|agent)\b/.test(lower) && call('transfer_to_human', { reason: said })) ||
    (/\bmessage\b/.test(lower) && call('take_message', { message: said })) ||
    (/\b(text|sms)\b/.test(lower) && call('send_sms', { message: `You asked: ${said}` })) ||
    (/\b(bye|goodbye|that's all)\b/.test(lower) && call('end_call', { closing_line: 'Thanks for calling. Goodbye!' }));
  if (toolAnswer) return toolAnswer;
  return { content: said ? `(Simulated assistant) You said: "${said}". How else can I help?` : 'How can I help?' };
}

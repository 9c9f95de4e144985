import type { ChatAnswer, ChatHandler, ChatRequest } from './fake-openai';

/** What the scripted model does when the caller says one line. */
export type ScriptedReply =
  /** Answers with this sentence. */
  | { say: string }
  /** Calls these tools (one request), then says `then` once the tools have run (the follow-up request). */
  | { tools: Array<{ name: string; arguments: Record<string, unknown> }>; then?: string };

/** One conversation the scripted model can play. */
export interface ModelScript {
  /**
   * Text that appears in this conversation's requests and in no other's (a tenant's business
   * name: it is in the agent's system prompt and in the greeting of the transcript the summarizer
   * reads). Picks the script of each request, so many calls can run at once.
   */
  key: string;
  /** The model's move for each caller line, keyed on the caller's words exactly as recognized. */
  replies: Array<{ caller: string; reply: ScriptedReply }>;
  /**
   * What the summarizer returns for this call (fields of the structured output; missing ones are
   * filled: empty lists, null name, null personality).
   */
  summary?: { summary?: string; key_topics?: string[]; caller_name?: string | null; facts?: string[]; changes?: unknown[] };
}

/** Said when a request matches no script or no scripted line: a scorecard shows it plainly. */
export const UNSCRIPTED_REPLY = '(scripted model) no scripted reply for this line';

/** The text of a chat message's content (a string, or the text parts of a list). */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : '')).join(' ');
  return '';
}

/** The script whose key appears in the request (system prompt first, then any message). */
export function scriptFor(scripts: readonly ModelScript[], request: ChatRequest): ModelScript | undefined {
  const texts = request.messages.map((message) => messageText(message.content));
  return scripts.find((script) => texts.some((text) => text.includes(script.key)));
}

/**
 * A deterministic stand-in for a model, for evaluation scenarios: each caller line gets the reply
 * the scenario wrote for it, tool calls included, and the summarizer gets the scenario's summary.
 * It reacts only to what reaches it through the real call path (the request), so a scenario checks
 * what the platform does with the model's moves: which tools run and with what result, what is
 * stored, what reaches the prompt.
 */
export function scriptedModel(scripts: () => readonly ModelScript[]): ChatHandler {
  return (request) => {
    const script = scriptFor(scripts(), request);
    if (request.response_format?.type === 'json_schema') return scriptedSummary(request, script);
    if (!script) return { content: UNSCRIPTED_REPLY };
    const callerLines = request.messages.filter((message) => message.role === 'user').map((message) => messageText(message.content).trim());
    const said = callerLines.at(-1) ?? '';
    const scripted = script.replies.find((entry) => entry.caller.trim() === said)?.reply;
    if (!scripted) return { content: UNSCRIPTED_REPLY };
    // After the tools ran (or after arguments the platform refused): the sentence that follows.
    if (request.messages.at(-1)?.role === 'tool') {
      return { content: 'then' in scripted && scripted.then ? scripted.then : 'Done. Is there anything else I can help with?' };
    }
    if ('say' in scripted) return { content: scripted.say };
    return { toolCalls: scripted.tools };
  };
}

function scriptedSummary(request: ChatRequest, script: ModelScript | undefined): ChatAnswer {
  const schema = request.response_format?.json_schema?.schema as { properties?: Record<string, unknown> } | undefined;
  const scored = Boolean(schema?.properties && 'personality' in schema.properties);
  const given = script?.summary ?? {};
  return {
    json: {
      summary: given.summary ?? 'The caller called.',
      key_topics: given.key_topics ?? [],
      caller_name: given.caller_name ?? null,
      facts: given.facts ?? [],
      changes: given.changes ?? [],
      ...(scored ? { personality: null } : {}),
    },
  };
}

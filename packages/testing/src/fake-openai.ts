import { randomUUID } from 'node:crypto';
import { startFakeServer } from './fake-server';
import type { FakeReply, FakeServer, RecordedRequest } from './fake-server';

/** The parts of a chat completion request that tests look at. */
export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content?: unknown; tool_calls?: unknown; tool_call_id?: string }>;
  tools?: Array<{ type: string; function: { name: string; parameters?: unknown } }>;
  response_format?: { type: string; json_schema?: { name: string; schema?: unknown; strict?: boolean } };
  [key: string]: unknown;
}

/** What the fake model "says": text, a structured-output object, tool calls, or a raw HTTP reply. */
export type ChatAnswer =
  /** `finishReason: 'length'`: the reply was cut at the token limit (default 'stop'). */
  | ({ content: string; finishReason?: 'stop' | 'length' } & StreamTiming)
  | ({ json: unknown } & StreamTiming)
  | ({ toolCalls: Array<{ name: string; arguments: Record<string, unknown> }>; content?: string } & StreamTiming)
  | { reply: FakeReply };

/**
 * How a streamed answer (`stream: true`) arrives: the content in word tokens, the first after
 * `firstTokenDelayMs`, each next one after `tokenDelayMs` (the real API sends roughly a token
 * every 10-30 ms). `stallAfterTokens`: send that many tokens, then keep the response open without
 * another byte (a provider stalled mid-answer). Ignored when the request does not stream.
 */
export interface StreamTiming {
  firstTokenDelayMs?: number;
  tokenDelayMs?: number;
  stallAfterTokens?: number;
}

export type ChatHandler = (request: ChatRequest, recorded: RecordedRequest) => ChatAnswer | Promise<ChatAnswer>;

export interface FakeOpenAI extends FakeServer {
  /** Pass this as the `openai` SDK's `baseURL`. */
  baseURL: string;
  /** Chat completion requests received, parsed. */
  chatRequests(): ChatRequest[];
  /** Replace how the fake model answers. */
  respondWith(handler: ChatHandler): void;
  /** GET /v1/models answers 401 for this key from now on (a key OpenAI refuses). */
  rejectKey(apiKey: string): void;
}

function completionBody(request: ChatRequest, answer: Exclude<ChatAnswer, { reply: FakeReply }>) {
  const toolCalls =
    'toolCalls' in answer
      ? answer.toolCalls.map((call) => ({
          id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
          type: 'function' as const,
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        }))
      : undefined;
  const content = 'json' in answer ? JSON.stringify(answer.json) : 'content' in answer ? (answer.content ?? null) : null;
  return {
    id: `chatcmpl-${randomUUID()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, refusal: null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        finish_reason: toolCalls ? 'tool_calls' : 'finishReason' in answer && answer.finishReason ? answer.finishReason : 'stop',
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  };
}

/** Splits content into word tokens that keep their spacing, so they join back into the content. */
export function wordTokens(content: string): string[] {
  return content.match(/\s*\S+/g) ?? [];
}

/** The answer as server-sent chat.completion.chunk events, the way the API streams it. */
function streamedCompletion(request: ChatRequest, answer: Exclude<ChatAnswer, { reply: FakeReply }>): FakeReply {
  const body = completionBody(request, answer);
  const choice = body.choices[0]!;
  const base = { id: body.id, object: 'chat.completion.chunk', created: body.created, model: body.model };
  const event = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`;
  const delta = (content: Record<string, unknown>, finishReason: string | null = null) =>
    event({ ...base, choices: [{ index: 0, delta: content, finish_reason: finishReason, logprobs: null }] });

  const tokens = wordTokens(typeof choice.message.content === 'string' ? choice.message.content : '');
  const chunks: Array<{ data: string; delayMs?: number }> = [{ data: delta({ role: 'assistant', content: '' }) }];
  tokens.forEach((token, index) =>
    chunks.push({ data: delta({ content: token }), delayMs: index === 0 ? answer.firstTokenDelayMs : answer.tokenDelayMs }),
  );
  if (answer.stallAfterTokens !== undefined) {
    return { status: 200, stream: { chunks: chunks.slice(0, answer.stallAfterTokens + 1), hangAfter: true } };
  }
  const toolCalls = 'tool_calls' in choice.message ? (choice.message.tool_calls ?? []) : [];
  toolCalls.forEach((call, index) =>
    chunks.push({
      data: delta({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: call.function.arguments } }],
      }),
      delayMs: tokens.length === 0 && index === 0 ? answer.firstTokenDelayMs : answer.tokenDelayMs,
    }),
  );
  chunks.push({ data: delta({}, choice.finish_reason) });
  const streamOptions = request.stream_options as { include_usage?: boolean } | undefined;
  if (streamOptions?.include_usage) chunks.push({ data: event({ ...base, choices: [], usage: body.usage }) });
  chunks.push({ data: 'data: [DONE]\n\n' });
  return { status: 200, stream: { chunks } };
}

/**
 * An OpenAI-compatible server on 127.0.0.1 (POST /v1/chat/completions), for running the real
 * `openai` SDK in tests, streaming (`stream: true`) included. Structured outputs are answered with `{ json }`, which the SDK parses
 * and validates exactly as it would a real model's answer.
 */
export async function startFakeOpenAI(handler: ChatHandler = () => ({ content: 'ok' })): Promise<FakeOpenAI> {
  let current = handler;
  const rejectedKeys = new Set<string>();
  const server = await startFakeServer({
    // What checking a key costs: one authenticated read.
    'GET /v1/models': (recorded) =>
      rejectedKeys.has((recorded.headers.authorization ?? '').replace(/^Bearer /, ''))
        ? {
            status: 401,
            body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } },
          }
        : {
            status: 200,
            body: { object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model', created: 1_700_000_000, owned_by: 'openai' }] },
          },
    'POST /v1/chat/completions': async (recorded) => {
      const request = recorded.body as ChatRequest;
      const answer = await current(request, recorded);
      if ('reply' in answer) return answer.reply;
      if (request.stream === true) return streamedCompletion(request, answer);
      return { status: 200, body: completionBody(request, answer) };
    },
  });
  return {
    ...server,
    baseURL: `${server.url}/v1`,
    chatRequests: () => server.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.body as ChatRequest),
    respondWith(next) {
      current = next;
    },
    rejectKey(apiKey) {
      rejectedKeys.add(apiKey);
    },
  };
}

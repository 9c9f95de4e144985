import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
import { untimed } from '@neurosphere/http';
import type { ProviderTimer } from '@neurosphere/http';
import { withTimeout } from '../lib/timeout';

/** No platform key and no tenant key: there is nobody to bill, so there is no model to ask. */
export class MissingProviderKeyError extends Error {
  override readonly name = 'MissingProviderKeyError';
}

export interface ChatRequest {
  /** The tenant's own key (BYOK), else the platform key. */
  apiKey: string | undefined;
  model: string;
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
  toolChoice?: ChatCompletionToolChoiceOption;
  temperature: number;
  /** The reply's token limit: a phone answer is a sentence or three. */
  maxCompletionTokens: number;
  timeoutMs: number;
}

/** A streamed request (the relay path): no time limit of its own, only the caller's signal ends it early. */
export interface StreamingChatRequest extends Omit<ChatRequest, 'timeoutMs' | 'toolChoice'> {
  toolChoice?: 'none';
  /** Aborts the request and its body: an interrupt, a caller gone, no first token in time. */
  signal: AbortSignal;
}

export interface LlmClient {
  complete(request: ChatRequest): Promise<ChatCompletion>;
  /** The completion's chunks as the model writes them (server-sent events); the last one carries the usage. */
  stream(request: StreamingChatRequest): AsyncIterable<ChatCompletionChunk>;
}

/**
 * Chat completions through the real `openai` SDK. No SDK retries: one attempt inside the turn's
 * budget beats three that make the caller wait. Clients are kept per key (tenants may bring their own).
 */
export function createLlmClient(options: {
  baseURL: string | undefined;
  platformApiKey: string | undefined;
  timer?: ProviderTimer;
}): LlmClient {
  const time = options.timer ?? untimed;
  const clients = new Map<string, OpenAI>();
  const clientFor = (apiKey: string): OpenAI => {
    let client = clients.get(apiKey);
    if (!client) {
      // baseURL is always passed explicitly (null = SDK default) so the SDK never reads process.env.
      client = new OpenAI({
        apiKey,
        baseURL: options.baseURL ?? null,
        organization: null,
        project: null,
        maxRetries: 0,
      });
      clients.set(apiKey, client);
    }
    return client;
  };

  const clientOf = (apiKey: string | undefined): OpenAI => {
    const key = apiKey ?? options.platformApiKey;
    if (!key) throw new MissingProviderKeyError('no OpenAI key configured for this tenant or the platform');
    return clientFor(key);
  };
  const body = ({ model, messages, tools, toolChoice, temperature, maxCompletionTokens }: Omit<ChatRequest, 'apiKey' | 'timeoutMs'>) => ({
    model,
    messages,
    // One tool call at a time: a second action is decided after the first one's result.
    ...(tools.length > 0 ? { tools, parallel_tool_calls: false, ...(toolChoice ? { tool_choice: toolChoice } : {}) } : {}),
    temperature,
    max_completion_tokens: maxCompletionTokens,
  });

  return {
    async complete(request) {
      const client = clientOf(request.apiKey);
      const { timeoutMs } = request;
      // withTimeout's signal aborts the request, body included, when it gives up on it.
      return time('openai', 'chat_completion', () =>
        withTimeout('openai chat completion', timeoutMs, (signal) =>
          client.chat.completions.create(body(request), { timeout: timeoutMs, maxRetries: 0, signal }),
        ),
      );
    },
    // No SDK timeout here: a streamed turn's time limits (first token, interrupt) belong to the turn, through `signal`.
    async *stream(request) {
      const client = clientOf(request.apiKey);
      // Timed to the answer's headers: how long the caller waits before the first token can come.
      const stream = await time('openai', 'chat_stream', () =>
        client.chat.completions.create(
          { ...body(request), stream: true, stream_options: { include_usage: true } },
          { maxRetries: 0, signal: request.signal },
        ),
      );
      yield* stream;
    },
  };
}

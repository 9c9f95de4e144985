import OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { MissingProviderKeyError } from './openai-chat';

export interface StreamingChatRequest {
  /** The tenant's own key (BYOK), else the platform key. */
  apiKey: string | undefined;
  model: string;
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
  toolChoice?: 'none';
  temperature: number;
  /** The reply's token limit: a phone answer is a sentence or three. */
  maxCompletionTokens: number;
  /** Aborts the request and its body: an interrupt, a caller gone, a deadline. */
  signal: AbortSignal;
}

export interface StreamingLlmClient {
  /** The completion's chunks as the model writes them; the last one carries the usage. */
  stream(request: StreamingChatRequest): AsyncIterable<ChatCompletionChunk>;
}

/**
 * Streamed chat completions through the real `openai` SDK (server-sent events), for the relay
 * path. No SDK retries and no SDK timeout: the caller's signal is the only way a stream ends
 * early, because a turn's time limits (first token, interrupt) belong to the turn.
 */
export function createStreamingLlmClient(options: { baseURL: string | undefined; platformApiKey: string | undefined }): StreamingLlmClient {
  const clients = new Map<string, OpenAI>();
  const clientFor = (apiKey: string): OpenAI => {
    let client = clients.get(apiKey);
    if (!client) {
      client = new OpenAI({ apiKey, baseURL: options.baseURL ?? null, organization: null, project: null, maxRetries: 0 });
      clients.set(apiKey, client);
    }
    return client;
  };

  return {
    async *stream({ apiKey, model, messages, tools, toolChoice, temperature, maxCompletionTokens, signal }) {
      const key = apiKey ?? options.platformApiKey;
      if (!key) throw new MissingProviderKeyError('no OpenAI key configured for this tenant or the platform');
      const stream = await clientFor(key).chat.completions.create(
        {
          model,
          messages,
          // One tool call at a time, as on the gather path: a second action is decided after the first one's result.
          ...(tools.length > 0 ? { tools, parallel_tool_calls: false, ...(toolChoice ? { tool_choice: toolChoice } : {}) } : {}),
          temperature,
          max_completion_tokens: maxCompletionTokens,
          stream: true,
          stream_options: { include_usage: true },
        },
        { maxRetries: 0, signal },
      );
      yield* stream;
    },
  };
}

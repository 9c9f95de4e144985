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
  /** Aborts the request and its body: an interrupt, a caller gone, a deadline. */
  signal: AbortSignal;
}

export interface StreamingLlmClient {
  /** The completion's chunks as the model writes them; the last one carries the usage. */
  stream(request: StreamingChatRequest): AsyncIterable<ChatCompletionChunk>;
}

/** Spoken replies are one or two sentences; the same cap as the whole-answer path. */
const MAX_COMPLETION_TOKENS = 300;

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
    async *stream({ apiKey, model, messages, tools, toolChoice, signal }) {
      const key = apiKey ?? options.platformApiKey;
      if (!key) throw new MissingProviderKeyError('no OpenAI key configured for this tenant or the platform');
      const stream = await clientFor(key).chat.completions.create(
        {
          model,
          messages,
          ...(tools.length > 0 ? { tools, ...(toolChoice ? { tool_choice: toolChoice } : {}) } : {}),
          max_completion_tokens: MAX_COMPLETION_TOKENS,
          stream: true,
          stream_options: { include_usage: true },
        },
        { maxRetries: 0, signal },
      );
      yield* stream;
    },
  };
}

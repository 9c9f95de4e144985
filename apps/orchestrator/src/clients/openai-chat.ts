import OpenAI from 'openai';
import type {
  ChatCompletion,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoiceOption,
} from 'openai/resources/chat/completions';
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

export interface LlmClient {
  complete(request: ChatRequest): Promise<ChatCompletion>;
}

/**
 * Chat completions through the real `openai` SDK. No SDK retries: one attempt inside the turn's
 * budget beats three that make the caller wait. Clients are kept per key (tenants may bring their own).
 */
export function createLlmClient(options: { baseURL: string | undefined; platformApiKey: string | undefined }): LlmClient {
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

  return {
    async complete({ apiKey, model, messages, tools, toolChoice, temperature, maxCompletionTokens, timeoutMs }) {
      const key = apiKey ?? options.platformApiKey;
      if (!key) throw new MissingProviderKeyError('no OpenAI key configured for this tenant or the platform');
      const client = clientFor(key);
      // withTimeout's signal aborts the request, body included, when it gives up on it.
      return withTimeout('openai chat completion', timeoutMs, (signal) =>
        client.chat.completions.create(
          {
            model,
            messages,
            // One tool call at a time: a second action is decided after the first one's result.
            ...(tools.length > 0 ? { tools, parallel_tool_calls: false, ...(toolChoice ? { tool_choice: toolChoice } : {}) } : {}),
            temperature,
            max_completion_tokens: maxCompletionTokens,
          },
          { timeout: timeoutMs, maxRetries: 0, signal },
        ),
      );
    },
  };
}

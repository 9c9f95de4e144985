import type { ChatCompletionMessage, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Deadline } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallState } from '../call-runtime/call-state';

/** The model of one turn: the tenant's model and key (or the platform's), within the turn's deadline. */
export interface ChatModel {
  /** The model's message; throws when the model could not be asked (the caller reports it). */
  complete(request: {
    messages: ChatCompletionMessageParam[];
    tools: ChatCompletionTool[];
    toolChoice?: 'none';
  }): Promise<ChatCompletionMessage | undefined>;
  /** Time spent waiting for the model and tokens it used, over every completion so far. */
  usage(): { llmMs: number; tokens: number };
}

/**
 * Opens the model for one turn. A tenant that brought its own OpenAI key is never silently billed
 * to the platform's: when its key cannot be loaded the failure is reported and this returns null.
 */
export async function openChatModel(options: {
  runtime: CallRuntime;
  state: CallState;
  deadline: Deadline;
  /** Time the turn must keep after each completion. */
  reserveMs: number;
}): Promise<ChatModel | null> {
  const { runtime, state, deadline, reserveMs } = options;
  const { settings } = runtime;
  const { customerId, callSid, tenant } = state;

  let apiKey: string | undefined;
  if (tenant.byokProviders.includes('openai')) {
    try {
      apiKey = await runtime.providerKeys.tenantKey({
        customerId,
        provider: 'openai',
        timeoutMs: deadline.allow(settings.databaseTimeoutMs, reserveMs),
      });
    } catch (error) {
      runtime.failures.dependencyFailed({ dependency: 'byok', error, customerId, callSid, operation: 'load OpenAI key' });
      return null;
    }
  }

  let llmMs = 0;
  let tokens = 0;
  return {
    async complete({ messages, tools, toolChoice }) {
      const startedAt = Date.now();
      try {
        const completion = await runtime.llm.complete({
          apiKey,
          model: tenant.openaiModel ?? settings.defaultModel,
          messages,
          tools,
          toolChoice,
          timeoutMs: deadline.allow(settings.openaiTimeoutMs, reserveMs),
        });
        tokens += completion.usage?.total_tokens ?? 0;
        return completion.choices[0]?.message;
      } finally {
        llmMs += Date.now() - startedAt;
      }
    },
    usage: () => ({ llmMs, tokens }),
  };
}

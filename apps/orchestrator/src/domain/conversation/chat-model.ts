import type { ChatCompletionMessage, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Deadline } from '../../lib/timeout';
import type { CallRuntime } from '../call-runtime/call-runtime';
import type { CallState } from '../call-runtime/call-state';

/** One answer of the model: its message, and whether it stopped because it hit the token limit. */
export interface ModelAnswer {
  message: ChatCompletionMessage | undefined;
  /** The reply was cut at the token limit (finish_reason "length"). */
  cutOff: boolean;
}

/** The model of one turn: the tenant's model and key (or the platform's), within the turn's deadline. */
export interface ChatModel {
  /** The model's answer; throws when the model could not be asked (the caller reports it). */
  complete(request: { messages: ChatCompletionMessageParam[]; tools: ChatCompletionTool[]; toolChoice?: 'none' }): Promise<ModelAnswer>;
  /** Time spent waiting for the model and tokens it used, over every completion so far. */
  usage(): { llmMs: number; tokens: number };
}

/** The tenant's model when the platform allows it, else the platform default (a model removed from the list stops being used at once). */
export function modelFor(tenantModel: string | null, settings: Pick<CallRuntime['settings'], 'defaultModel' | 'allowedModels'>): string {
  return tenantModel && settings.allowedModels.includes(tenantModel) ? tenantModel : settings.defaultModel;
}

/**
 * The OpenAI key of the call: the tenant's own (BYOK) or undefined for the platform's. Null when
 * the tenant brought its own key and it cannot be loaded (reported): such a tenant is never
 * silently billed to the platform's key.
 */
export async function openAiKeyFor(options: {
  runtime: Pick<CallRuntime, 'providerKeys' | 'failures'>;
  state: Pick<CallState, 'customerId' | 'callSid' | 'tenant'>;
  timeoutMs: number;
}): Promise<string | undefined | null> {
  const { runtime, state } = options;
  const { customerId, callSid } = state;
  if (!state.tenant.byokProviders.includes('openai')) return undefined;
  try {
    return await runtime.providerKeys.tenantKey({ customerId, provider: 'openai', timeoutMs: options.timeoutMs });
  } catch (error) {
    runtime.failures.dependencyFailed({ dependency: 'byok', error, customerId, callSid, operation: 'load OpenAI key' });
    return null;
  }
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
  const { tenant } = state;

  const apiKey = await openAiKeyFor({ runtime, state, timeoutMs: deadline.allow(settings.databaseTimeoutMs, reserveMs) });
  if (apiKey === null) return null;

  let llmMs = 0;
  let tokens = 0;
  return {
    async complete({ messages, tools, toolChoice }) {
      const startedAt = Date.now();
      try {
        const completion = await runtime.llm.complete({
          apiKey,
          model: modelFor(tenant.openaiModel, settings),
          messages,
          tools,
          toolChoice,
          temperature: tenant.temperature ?? settings.defaultTemperature,
          maxCompletionTokens: settings.maxCompletionTokens,
          timeoutMs: deadline.allow(settings.openaiTimeoutMs, reserveMs),
        });
        tokens += completion.usage?.total_tokens ?? 0;
        const choice = completion.choices[0];
        return { message: choice?.message, cutOff: choice?.finish_reason === 'length' };
      } finally {
        llmMs += Date.now() - startedAt;
      }
    },
    usage: () => ({ llmMs, tokens }),
  };
}

/**
 * A reply cut at the token limit, trimmed to its last full sentence, so the caller never hears a
 * sentence break off. Null when not even one sentence is complete.
 */
export function trimToLastSentence(text: string): string | null {
  // A sentence ends at . ! ? or … (closing quotes or brackets may follow), before a space or the end.
  const ends = [...text.matchAll(/[.!?…]["'”’)\]]*(?=\s|$)/g)];
  const last = ends.at(-1);
  if (!last || last.index === undefined) return null;
  const trimmed = text.slice(0, last.index + last[0].length).trim();
  return trimmed === '' ? null : trimmed;
}

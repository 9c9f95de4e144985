import type { ConversationTurn, IndustryTemplateDefinition } from '@neurosphere/contracts';
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { buildExtractionSchema } from '../templates/build-extraction-schema';
import type { CallInsights } from '../templates/build-extraction-schema';

/** A summarization failure that will fail the same way on every retry (bad request, refusal, no configuration). */
export class PermanentSummarizeError extends Error {
  override readonly name = 'PermanentSummarizeError';
}

export interface SummarizeInput {
  template: IndustryTemplateDefinition;
  transcript: ConversationTurn[];
  /** The tenant's own OpenAI key (BYOK); without it the platform's key is used. */
  apiKey?: string;
  /** Aborts the request (worker shutdown, job cancelled). */
  signal?: AbortSignal;
}

export interface SummarizeResult {
  insights: CallInsights;
  /** What the request cost, as the API reported it (null when it did not). */
  usage: { model: string; totalTokens: number } | null;
}

/** Turns one call transcript into structured insights for the tenant's template. */
export interface CallSummarizer {
  summarize(input: SummarizeInput): Promise<SummarizeResult>;
}

export interface OpenAiSummarizerOptions {
  /** Unset with no baseURL: the summarizer refuses every job with a configuration error. */
  apiKey: string | undefined;
  baseURL: string | undefined;
  model: string;
  /** Longest wait for one request; the SDK's own retries are off (BullMQ retries the job). */
  timeoutMs: number;
}

const SPEAKER: Record<ConversationTurn['role'], string> = { caller: 'Caller', agent: 'Agent', system: 'System' };

/**
 * The summarizer over the `openai` SDK: chat completions with a JSON-schema structured output
 * built from the pinned template (zodResponseFormat), parsed and validated by the same zod schema.
 * Transient failures (timeouts, 429, 5xx, output that fails validation) are thrown as they are,
 * to be retried; requests the API rejects as malformed and refusals are permanent.
 */
export function createOpenAiSummarizer(options: OpenAiSummarizerOptions): CallSummarizer {
  const configured = Boolean(options.apiKey) || Boolean(options.baseURL);
  const newClient = (apiKey: string) => new OpenAI({ apiKey, baseURL: options.baseURL, timeout: options.timeoutMs, maxRetries: 0 });
  // A local OpenAI-compatible server (simulator, tests' fake) needs no key.
  const platformClient = newClient(options.apiKey ?? 'not-configured');
  // Tenants' own keys: one client each, the least recently added dropped past the limit.
  const tenantClients = new Map<string, OpenAI>();
  const clientFor = (apiKey: string | undefined): OpenAI => {
    if (apiKey === undefined) return platformClient;
    let client = tenantClients.get(apiKey);
    if (!client) {
      if (tenantClients.size >= 200) tenantClients.delete(tenantClients.keys().next().value as string);
      client = newClient(apiKey);
      tenantClients.set(apiKey, client);
    }
    return client;
  };

  return {
    async summarize({ template, transcript, apiKey, signal }) {
      if (!configured && apiKey === undefined) throw new PermanentSummarizeError('OpenAI is not configured for the memory worker (set OPENAI_API_KEY)');
      const schema = buildExtractionSchema(template);
      let completion;
      try {
        completion = await clientFor(apiKey).chat.completions.parse(
          {
            model: options.model,
            temperature: 0,
            messages: [
              { role: 'system', content: systemPrompt(template) },
              { role: 'user', content: transcript.map((turn) => `${SPEAKER[turn.role]}: ${turn.text}`).join('\n') },
            ],
            response_format: zodResponseFormat(schema, 'call_insights'),
          },
          { signal },
        );
      } catch (error) {
        if (error instanceof OpenAI.APIError && (error.status === 400 || error.status === 422)) {
          throw new PermanentSummarizeError(`OpenAI rejected the summarization request (${error.status}): ${error.message}`);
        }
        throw error;
      }
      const message = completion.choices[0]?.message;
      if (message?.refusal) throw new PermanentSummarizeError(`The model refused to summarize the call: ${message.refusal}`);
      if (!message?.parsed) throw new Error('The model returned no structured output');
      // parse() validated already; parsing again keeps the guarantee local to this module.
      const insights = schema.parse(message.parsed);
      const totalTokens = completion.usage?.total_tokens;
      return { insights, usage: typeof totalTokens === 'number' ? { model: completion.model || options.model, totalTokens } : null };
    },
  };
}

function systemPrompt(template: IndustryTemplateDefinition): string {
  return [
    'You review finished phone calls and extract what is worth remembering about the caller.',
    `The agent on these calls was told: "${template.promptFragments.role}"`,
    'Read the transcript and return the structured summary exactly as the JSON schema describes.',
    'Only record what the caller actually said in this call; use null for anything not mentioned, never guess.',
    `Fields to extract (${template.name}):`,
    ...template.fields.map((field) => `- ${field.key} (${field.type}): ${field.label}. ${field.hint}`),
    'Score the personality scales from how the caller spoke in this call (integers 0-100).',
  ].join('\n');
}

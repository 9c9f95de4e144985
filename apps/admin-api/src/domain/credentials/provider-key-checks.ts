import { AppError } from '@neurosphere/http';

/** Checks a tenant's own provider key with the provider before it is stored (nothing is ever sent but the key). */
export interface ProviderKeyChecks {
  checkOpenAi(apiKey: string): Promise<void>;
  checkElevenLabs(apiKey: string): Promise<void>;
}

export interface ProviderKeyChecksOptions {
  openaiBaseUrl?: string;
  elevenLabsBaseUrl?: string;
  timeoutMs: number;
}

const RETRY_AFTER_SECONDS = 30;

/**
 * The real SDKs, one cheap authenticated read each (both: list models). A refused key is a 422 naming the provider and its status; a provider that does not
 * answer is a 503 with Retry-After. No message carries the key.
 *
 * Each SDK is loaded on the first check, not when admin-api starts: keys are checked rarely, and
 * loading the ElevenLabs SDK alone adds about 100 MB to the process's resident memory.
 */
export function createProviderKeyChecks(options: ProviderKeyChecksOptions): ProviderKeyChecks {
  return {
    async checkOpenAi(apiKey) {
      const { default: OpenAI } = await import('openai');
      const client = new OpenAI({ apiKey, baseURL: options.openaiBaseUrl, maxRetries: 0, timeout: options.timeoutMs });
      try {
        await client.models.list();
      } catch (error) {
        if (error instanceof OpenAI.APIError && typeof error.status === 'number' && error.status < 500 && error.status !== 429) {
          throw new AppError('UNPROCESSABLE', `OpenAI refused the key (HTTP ${error.status})`, {
            details: [{ path: 'secret', message: 'refused by OpenAI' }],
          });
        }
        throw new AppError('UNAVAILABLE', 'OpenAI could not be reached to check the key; nothing was stored, try again', {
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        });
      }
    },
    async checkElevenLabs(apiKey) {
      const { ElevenLabsClient, ElevenLabsError } = await import('@elevenlabs/elevenlabs-js');
      const client = new ElevenLabsClient({
        apiKey,
        maxRetries: 0,
        timeoutInSeconds: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
        ...(options.elevenLabsBaseUrl ? { baseUrl: options.elevenLabsBaseUrl } : {}),
      });
      try {
        await client.models.list();
      } catch (error) {
        const status = error instanceof ElevenLabsError ? error.statusCode : undefined;
        if (status !== undefined && status < 500 && status !== 429) {
          throw new AppError('UNPROCESSABLE', `ElevenLabs refused the key (HTTP ${status})`, {
            details: [{ path: 'secret', message: 'refused by ElevenLabs' }],
          });
        }
        throw new AppError('UNAVAILABLE', 'ElevenLabs could not be reached to check the key; nothing was stored, try again', {
          retryAfterSeconds: RETRY_AFTER_SECONDS,
        });
      }
    },
  };
}

import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { fetcher as sdkFetcher } from '@elevenlabs/elevenlabs-js/core';
import type { FetchFunction } from '@elevenlabs/elevenlabs-js/core';
import { withTimeout } from '../lib/timeout';
import { MissingProviderKeyError } from './openai-chat';

export interface TtsRequest {
  /** The tenant's own key (BYOK), else the platform key. */
  apiKey: string | undefined;
  voiceId: string;
  modelId: string;
  text: string;
  timeoutMs: number;
}

export interface TtsClient {
  /** MP3 bytes of `text` in `voiceId`, or a rejection (timeout, provider error, no key). */
  synthesize(request: TtsRequest): Promise<Buffer>;
}

/** Text-to-speech through the real `@elevenlabs/elevenlabs-js` SDK, one attempt, bounded end to end. */
export function createTtsClient(options: {
  baseUrl: string | undefined;
  platformApiKey: string | undefined;
  /** The HTTP client for the SDK (clients/provider-fetch.ts). */
  fetch: typeof fetch;
}): TtsClient {
  const clients = new Map<string, ElevenLabsClient>();
  // The SDK's own request plumbing, without its time limit: for every request it would arm a timer
  // (240 s unless told otherwise) and tie an AbortSignal to it with a listener, per-request objects
  // for the garbage collector to carry. The provider fetch bounds each request instead
  // (ELEVENLABS_TIMEOUT_MS, body included), and withTimeout below bounds the whole synthesis.
  const fetcher: FetchFunction = (args) => sdkFetcher({ ...args, timeoutMs: undefined, abortSignal: undefined });
  const clientFor = (apiKey: string): ElevenLabsClient => {
    let client = clients.get(apiKey);
    if (!client) {
      client = new ElevenLabsClient({ apiKey, maxRetries: 0, fetch: options.fetch, fetcher, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
      clients.set(apiKey, client);
    }
    return client;
  };

  return {
    async synthesize({ apiKey, voiceId, modelId, text, timeoutMs }) {
      const key = apiKey ?? options.platformApiKey;
      if (!key) throw new MissingProviderKeyError('no ElevenLabs key configured for this tenant or the platform');
      const client = clientFor(key);
      // The timeout covers reading the whole body too: a provider can stall mid-stream. No abort
      // signal and no SDK timeout (see `fetcher` above).
      return withTimeout('elevenlabs text-to-speech', timeoutMs, async () => {
        const stream = await client.textToSpeech.convert(voiceId, { text, modelId }, { maxRetries: 0 });
        const chunks: Uint8Array[] = [];
        for await (const chunk of stream) chunks.push(chunk);
        const audio = Buffer.concat(chunks);
        if (audio.length === 0) throw new Error('ElevenLabs returned no audio');
        return audio;
      });
    },
  };
}

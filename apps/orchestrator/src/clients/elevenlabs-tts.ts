import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { untimed } from '@neurosphere/http';
import type { ProviderTimer } from '@neurosphere/http';
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
  timer?: ProviderTimer;
}): TtsClient {
  const time = options.timer ?? untimed;
  const clients = new Map<string, ElevenLabsClient>();
  const clientFor = (apiKey: string): ElevenLabsClient => {
    let client = clients.get(apiKey);
    if (!client) {
      client = new ElevenLabsClient({ apiKey, maxRetries: 0, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) });
      clients.set(apiKey, client);
    }
    return client;
  };

  return {
    async synthesize({ apiKey, voiceId, modelId, text, timeoutMs }) {
      const key = apiKey ?? options.platformApiKey;
      if (!key) throw new MissingProviderKeyError('no ElevenLabs key configured for this tenant or the platform');
      const client = clientFor(key);
      // The timeout covers reading the whole body too: a provider can stall mid-stream. Its signal
      // aborts the request, so a stalled provider's socket is released when withTimeout gives up.
      // The SDK also arms a timer of its own (240 s unless told) and leaves it running when the
      // request is aborted, so it gets the same budget: nothing outlives the turn by minutes.
      return time('elevenlabs', 'text_to_speech', () =>
        withTimeout('elevenlabs text-to-speech', timeoutMs, async (signal) => {
          const stream = await client.textToSpeech.convert(
            voiceId,
            { text, modelId },
            { maxRetries: 0, abortSignal: signal, timeoutInSeconds: timeoutMs / 1000 },
          );
          const chunks: Uint8Array[] = [];
          for await (const chunk of stream) chunks.push(chunk);
          const audio = Buffer.concat(chunks);
          if (audio.length === 0) throw new Error('ElevenLabs returned no audio');
          return audio;
        }),
      );
    },
  };
}

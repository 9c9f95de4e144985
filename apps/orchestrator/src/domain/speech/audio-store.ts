import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { withTimeout } from '../../lib/timeout';

/**
 * Synthesized speech in Redis. Two kinds of keys, both with AUDIO_TTL_SECONDS, refreshed on reuse:
 * - `tts:{<customerId>}:<sha256(voice, model, text)>` → audio token: the per-tenant cache, so the
 *   same words in the same voice are synthesized once (the greeting on every call, re-prompts).
 * - `audio:<token>` → MP3 bytes: what Twilio fetches. The token is 192 random bits, so holding it
 *   is the only way to fetch the audio, and it says nothing about the tenant or the text.
 */
export interface AudioStore {
  findCached(options: AudioCacheEntry & { timeoutMs: number }): Promise<string | null>;
  store(options: AudioCacheEntry & { audio: Buffer; timeoutMs: number }): Promise<string>;
  read(options: { token: string; timeoutMs: number }): Promise<Buffer | null>;
}

export interface AudioCacheEntry {
  customerId: number;
  voiceId: string;
  modelId: string;
  text: string;
}

export function audioCacheKey({ customerId, voiceId, modelId, text }: AudioCacheEntry): string {
  // NUL separators: no voice/model/text combination can collide with another by concatenation.
  const digest = createHash('sha256').update(`${voiceId}\0${modelId}\0${text}`).digest('hex');
  return `tts:{${customerId}}:${digest}`;
}

export function audioTokenKey(token: string): string {
  return `audio:${token}`;
}

export function newAudioToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Tokens are base64url of 24 random bytes; anything else is not worth a Redis round trip. */
export const AUDIO_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export function createAudioStore(options: { redis: Redis; ttlSeconds: number }): AudioStore {
  const { redis, ttlSeconds } = options;
  return {
    async findCached({ timeoutMs, ...entry }) {
      const cacheKey = audioCacheKey(entry);
      return withTimeout('find cached audio', timeoutMs, async () => {
        const token = await redis.get(cacheKey);
        if (token === null) return null;
        const refreshed = await redis.multi().expire(audioTokenKey(token), ttlSeconds).expire(cacheKey, ttlSeconds).exec();
        // The audio expired between the two reads: a miss, synthesize again.
        return refreshed?.[0]?.[1] === 1 ? token : null;
      });
    },
    async store({ timeoutMs, audio, ...entry }) {
      const token = newAudioToken();
      await withTimeout('store audio', timeoutMs, () =>
        redis
          .multi()
          .set(audioTokenKey(token), audio, 'EX', ttlSeconds)
          .set(audioCacheKey(entry), token, 'EX', ttlSeconds)
          .exec(),
      );
      return token;
    },
    async read({ token, timeoutMs }) {
      if (!AUDIO_TOKEN_PATTERN.test(token)) return null;
      return withTimeout('read audio', timeoutMs, () => redis.getBuffer(audioTokenKey(token)));
    },
  };
}

import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '@neurosphere/http';
import { withTimeout } from '../../lib/timeout';

/**
 * Synthesized speech in Redis. Three kinds of keys, all with AUDIO_TTL_SECONDS, refreshed on reuse:
 * - `tts:{<customerId>}:<sha256(voice, model, text)>` → audio token: the per-tenant cache, so the
 *   same words in the same voice are synthesized once (the greeting on every call, re-prompts).
 * - `audio:<token>` → MP3 bytes: what Twilio fetches. The token is 192 random bits, so holding it
 *   is the only way to fetch the audio, and it says nothing about the tenant or the text.
 * - `{audio:<token>}:text` → the words the MP3 speaks, served beside it (the call simulator shows
 *   them). Audio stored before the words were kept has none.
 * Redis Cluster: the words' key carries the audio key as its hash tag, so the two always share a
 * slot and are read and written together; the tenant's cache entry lives in the tenant's slot and
 * is written beside them, never in the same transaction.
 */
export interface AudioStore {
  findCached(options: AudioCacheEntry & { timeoutMs: number }): Promise<string | null>;
  store(options: AudioCacheEntry & { audio: Buffer; timeoutMs: number }): Promise<string>;
  read(options: { token: string; timeoutMs: number }): Promise<StoredAudio | null>;
}

export interface StoredAudio {
  audio: Buffer;
  /** The words the audio speaks; undefined for audio stored without them. */
  text: string | undefined;
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

/**
 * The hash tag is the whole audio key (which has no braces, so Redis Cluster hashes all of it):
 * same slot as audioTokenKey(token). Tokens never contain braces or ':', so no token's keys can be
 * another token's.
 */
export function audioTextKey(token: string): string {
  return `{${audioTokenKey(token)}}:text`;
}

export function newAudioToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Tokens are base64url of 24 random bytes; anything else is not worth a Redis round trip. */
export const AUDIO_TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

export function createAudioStore(options: { redis: RedisClient; ttlSeconds: number }): AudioStore {
  const { redis, ttlSeconds } = options;
  return {
    async findCached({ timeoutMs, ...entry }) {
      const cacheKey = audioCacheKey(entry);
      return withTimeout('find cached audio', timeoutMs, async () => {
        const token = await redis.get(cacheKey);
        if (token === null) return null;
        // The cache key is derived from these very words, so writing them (rather than only
        // refreshing) also gives audio stored before the words were kept its text: otherwise a
        // greeting reused on every call would never get any. Both writes are in flight together.
        const [refreshed] = await Promise.all([
          redis.multi().expire(audioTokenKey(token), ttlSeconds).set(audioTextKey(token), entry.text, 'EX', ttlSeconds).exec(),
          redis.expire(cacheKey, ttlSeconds),
        ]);
        // The audio expired between the two reads: a miss, synthesize again (the text key written
        // for it is never read without its audio and expires on its own).
        return refreshed?.[0]?.[1] === 1 ? token : null;
      });
    },
    async store({ timeoutMs, audio, ...entry }) {
      const token = newAudioToken();
      // The audio with its words, and the tenant's cache entry, in flight together (one round
      // trip). A cache entry whose audio did not land is a miss for findCached.
      await withTimeout('store audio', timeoutMs, () =>
        Promise.all([
          redis.multi().set(audioTokenKey(token), audio, 'EX', ttlSeconds).set(audioTextKey(token), entry.text, 'EX', ttlSeconds).exec(),
          redis.set(audioCacheKey(entry), token, 'EX', ttlSeconds),
        ]),
      );
      return token;
    },
    async read({ token, timeoutMs }) {
      if (!AUDIO_TOKEN_PATTERN.test(token)) return null;
      const [audio, text] = await withTimeout('read audio', timeoutMs, () => redis.mgetBuffer(audioTokenKey(token), audioTextKey(token)));
      if (!audio) return null;
      return { audio, text: text?.toString('utf8') };
    },
  };
}

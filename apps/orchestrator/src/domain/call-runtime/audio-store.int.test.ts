import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { audioCacheKey, audioTextKey, audioTokenKey, createAudioStore, newAudioToken } from './audio-store';
import type { AudioCacheEntry } from './audio-store';

// The audio store against the real Redis: the words are kept beside the audio, under the same
// token and for as long as it lives.

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error('integration tests need REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379');

const TTL_SECONDS = 3600;
const timeoutMs = 2000;
const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
const store = createAudioStore({ redis, ttlSeconds: TTL_SECONDS });
const written: string[] = [];

afterAll(async () => {
  if (written.length > 0) await redis.del(...written);
  if (redis.status !== 'end' && redis.status !== 'wait') await redis.quit();
});

/** A cache entry of a tenant no other test uses, with words that need percent-encoding later. */
function uniqueEntry(): AudioCacheEntry {
  return {
    customerId: randomInt(1_000_000, 2_000_000_000),
    voiceId: 'voice-test',
    modelId: 'model-test',
    text: 'Zoë speaking — how can I help?',
  };
}

function remember(entry: AudioCacheEntry, token: string): void {
  written.push(audioCacheKey(entry), audioTokenKey(token), audioTextKey(token));
}

/** Seconds left on a key, which must be one set for TTL_SECONDS moments ago (not a shorter or no TTL). */
async function expectFullTtl(key: string): Promise<void> {
  const ttl = await redis.ttl(key);
  expect(ttl).toBeLessThanOrEqual(TTL_SECONDS);
  expect(ttl).toBeGreaterThan(TTL_SECONDS - 60);
}

it('keeps the words beside the audio, with the same TTL, and reads both by the token', async () => {
  const entry = uniqueEntry();
  const audio = Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 1, 2]);
  const token = await store.store({ ...entry, audio, timeoutMs });
  remember(entry, token);

  expect(await store.read({ token, timeoutMs })).toEqual({ audio, text: entry.text });
  await expectFullTtl(audioTokenKey(token));
  await expectFullTtl(audioTextKey(token));
});

it('refreshes the words together with the audio when the cache reuses a token', async () => {
  const entry = uniqueEntry();
  const token = await store.store({ ...entry, audio: Buffer.from('mp3'), timeoutMs });
  remember(entry, token);
  await redis.multi().expire(audioTokenKey(token), 5).expire(audioTextKey(token), 5).expire(audioCacheKey(entry), 5).exec();

  expect(await store.findCached({ ...entry, timeoutMs })).toBe(token);
  await expectFullTtl(audioTokenKey(token));
  await expectFullTtl(audioTextKey(token));
  await expectFullTtl(audioCacheKey(entry));
  expect((await store.read({ token, timeoutMs }))?.text).toBe(entry.text);
});

it('reads audio stored without its words as audio with no text, and gives it the words on cache reuse', async () => {
  const entry = uniqueEntry();
  const token = newAudioToken();
  remember(entry, token);
  await redis
    .multi()
    .set(audioTokenKey(token), Buffer.from('old mp3'), 'EX', TTL_SECONDS)
    .set(audioCacheKey(entry), token, 'EX', TTL_SECONDS)
    .exec();

  expect(await store.read({ token, timeoutMs })).toEqual({ audio: Buffer.from('old mp3'), text: undefined });
  expect(await store.findCached({ ...entry, timeoutMs })).toBe(token);
  expect(await store.read({ token, timeoutMs })).toEqual({ audio: Buffer.from('old mp3'), text: entry.text });
  await expectFullTtl(audioTextKey(token));
});

it('reads an unknown token, or words whose audio is gone, as nothing', async () => {
  const token = newAudioToken();
  written.push(audioTextKey(token));
  expect(await store.read({ token, timeoutMs })).toBeNull();
  await redis.set(audioTextKey(token), 'orphaned words', 'EX', TTL_SECONDS);
  expect(await store.read({ token, timeoutMs })).toBeNull();
});

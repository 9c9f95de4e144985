import { randomInt } from 'node:crypto';
import { uniqueCallSid } from '@neurosphere/testing';
import { Redis } from 'ioredis';
import pino from 'pino';
import { testCallSettings } from '../../../test/call-fixtures';
import type { TtsClient, TtsRequest } from '../../clients/elevenlabs-tts';
import { Deadline } from '../../lib/timeout';
import { createMetrics } from '../../observability/metrics';
import { createFailureReporter } from '../../observability/report-failure';
import { audioCacheKey, audioTextKey, audioTokenKey, createAudioStore } from '../call-runtime/audio-store';
import type { AudioStore } from '../call-runtime/audio-store';
import type { ProviderKeyStore } from '../tenants/provider-key-store';
import { prepareSpeech, storeSpeech } from './speak-text';
import type { SpeechRuntime } from './speak-text';

// Speaking in two halves (find or synthesize, then store) against the real Redis: a turn stores
// fresh audio while it saves the call state, so each half must stand on its own.

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error('integration tests need REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379');

const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
const realAudio = createAudioStore({ redis, ttlSeconds: 600 });
const written: string[] = [];

afterAll(async () => {
  if (written.length > 0) await redis.del(...written);
  if (redis.status !== 'end' && redis.status !== 'wait') await redis.quit();
});

const settings = testCallSettings;

/** An ElevenLabs stand-in behind the TtsClient interface (the SDK itself is tested against the fake server). */
function recordingTts(): TtsClient & { requests: TtsRequest[] } {
  const requests: TtsRequest[] = [];
  return {
    requests,
    synthesize: async (request) => {
      requests.push(request);
      return Buffer.from(`mp3 of ${request.text}`);
    },
  };
}

const noKeys: ProviderKeyStore = { tenantKey: () => Promise.reject(new Error('no BYOK tenant in these tests')) };

function runtimeWith(audio: AudioStore) {
  const metrics = createMetrics();
  const tts = recordingTts();
  const runtime: SpeechRuntime = {
    settings,
    failures: createFailureReporter(metrics, pino({ level: 'silent' })),
    audio,
    tts,
    providerKeys: noKeys,
  };
  const counted = async (name: string, labels: Record<string, string>) =>
    (await metrics.registry.getSingleMetric(name)?.get())?.values.find((value) =>
      Object.entries(labels).every(([key, label]) => value.labels[key] === label),
    )?.value ?? 0;
  return { runtime, tts, counted };
}

function speakOptions(runtime: SpeechRuntime, text: string) {
  const customerId = randomInt(1_000_000, 2_000_000_000);
  written.push(audioCacheKey({ customerId, voiceId: 'voice-test', modelId: settings.ttsModelId, text }));
  return {
    runtime,
    customerId,
    callSid: uniqueCallSid(),
    tenant: { voiceId: 'voice-test', byokProviders: [], language: 'en-GB', sayVoice: 'Polly.Amy-Neural' },
    text,
    deadline: new Deadline(settings.turnBudgetMs),
    reserveMs: settings.redisTimeoutMs,
  };
}

it('synthesizes without storing, then stores the audio under a new token that plays the same words', async () => {
  const { runtime, tts } = runtimeWith(realAudio);
  const options = speakOptions(runtime, 'Fresh words for this caller.');

  const prepared = await prepareSpeech(options);
  expect(tts.requests).toHaveLength(1);
  expect(prepared.synthesizedCharacters).toBe(options.text.length);
  expect(prepared.fresh?.audio.toString()).toBe(`mp3 of ${options.text}`);
  expect(await redis.get(written.at(-1)!)).toBeNull(); // nothing stored yet

  const speech = await storeSpeech({ ...options, prepared, reserveMs: 0 });
  if (speech.type !== 'play') throw new Error(`expected play, got ${speech.type}`);
  written.push(audioTokenKey(speech.audio_token), audioTextKey(speech.audio_token));
  expect(speech.text).toBe(options.text);
  expect(await realAudio.read({ token: speech.audio_token, timeoutMs: 500 })).toEqual({
    audio: Buffer.from(`mp3 of ${options.text}`),
    text: options.text,
  });

  // The same words again: cached, nothing to store, nothing synthesized or billed.
  const again = await prepareSpeech({ ...options, deadline: new Deadline(settings.turnBudgetMs) });
  expect(again.fresh).toBeUndefined();
  expect(again.synthesizedCharacters).toBe(0);
  expect(again.speech).toEqual({ type: 'play', audio_token: speech.audio_token, text: options.text });
  expect(tts.requests).toHaveLength(1);
});

it('says the same words when Redis does not take the audio, and still counts the characters ElevenLabs billed', async () => {
  const refusingStore: AudioStore = { ...realAudio, store: () => Promise.reject(new Error('Connection is closed.')) };
  const { runtime, counted } = runtimeWith(refusingStore);
  const options = speakOptions(runtime, 'Words that were synthesized but never stored.');

  const prepared = await prepareSpeech(options);
  expect(prepared.synthesizedCharacters).toBe(options.text.length);
  const speech = await storeSpeech({ ...options, prepared, reserveMs: 0 });

  // Twilio speaks them in the tenant's neural fallback voice and language.
  expect(speech).toEqual({ type: 'say', text: options.text, language: 'en-GB', voice: 'Polly.Amy-Neural' });
  expect(await counted('orchestrator_dependency_failures_total', { dependency: 'redis', kind: 'unavailable' })).toBe(1);
  expect(await counted('orchestrator_degraded_answers_total', { reason: 'tts_say_fallback' })).toBe(1);
});

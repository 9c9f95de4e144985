import type { Deadline } from '../../lib/timeout';
import type { AudioCacheEntry } from '../call-runtime/audio-store';
import type { CallRuntime, Speech } from '../call-runtime/call-runtime';
import type { TenantSnapshot } from '../tenants/tenant-snapshot';

/** What speaking needs of the call runtime. */
export type SpeechRuntime = Pick<CallRuntime, 'settings' | 'failures' | 'audio' | 'tts' | 'providerKeys'>;

export interface SpeakTextOptions {
  runtime: SpeechRuntime;
  customerId: number;
  callSid: string;
  tenant: Pick<TenantSnapshot, 'voiceId' | 'byokProviders' | 'sayVoice' | 'language'>;
  text: string;
  deadline: Deadline;
  /** Time to keep for the steps after this one (saving the call state). */
  reserveMs: number;
}

export interface SpokenText {
  speech: Speech;
  ttsMs: number;
  /** Characters sent to ElevenLabs (0 on a cache hit or when nothing was synthesized): metered usage. */
  synthesizedCharacters: number;
}

/**
 * Speech found or made, not yet stored: `speech` is final (cached audio, or `say`), or `fresh`
 * holds audio that `storeSpeech` must put in Redis before Twilio can fetch it.
 */
export interface PreparedSpeech {
  speech: Speech;
  fresh?: { audio: Buffer; entry: AudioCacheEntry };
  /** Time spent finding or synthesizing the audio. */
  ttsMs: number;
  /** Characters ElevenLabs synthesized (and bills), whether or not storing the audio succeeds. */
  synthesizedCharacters: number;
}

/** Below these there is no point in starting a lookup or a synthesis: the caller gets <Say> at once. */
const MIN_LOOKUP_MS = 20;
const MIN_SYNTHESIS_MS = 100;

/**
 * `text` in the tenant's voice: cached audio when these words were synthesized before, else a fresh
 * synthesis stored under a new token. Any failure (ElevenLabs, Redis, BYOK key, no time left)
 * degrades to `say` with the same words, so the caller always hears the sentence.
 */
export async function speakText(options: SpeakTextOptions): Promise<SpokenText> {
  const { runtime, deadline, reserveMs, customerId, callSid } = options;
  // Storing fresh audio comes before the caller's own steps here, so keep time for both.
  const prepared = await prepareSpeech({ ...options, reserveMs: reserveMs + runtime.settings.redisTimeoutMs });
  const speech = await storeSpeech({ runtime, customerId, callSid, prepared, deadline, reserveMs });
  return { speech, ttsMs: prepared.ttsMs, synthesizedCharacters: prepared.synthesizedCharacters };
}

/**
 * The first half of `speakText`: finds cached audio or synthesizes it, without storing fresh audio.
 * A turn stores it while it saves the call state (`storeSpeech` alongside the save): two Redis
 * writes in flight together rather than one after the other. `reserveMs` is the time to keep for
 * those writes.
 */
export async function prepareSpeech(options: SpeakTextOptions): Promise<PreparedSpeech> {
  const { runtime, customerId, callSid, tenant, text, deadline, reserveMs } = options;
  const { settings, failures } = runtime;
  const startedAt = Date.now();
  const say = (synthesizedCharacters = 0): PreparedSpeech => ({
    // Twilio speaks these words itself, in the tenant's neural fallback voice and language.
    speech: { type: 'say', text, language: tenant.language, ...(tenant.sayVoice ? { voice: tenant.sayVoice } : {}) },
    ttsMs: Date.now() - startedAt,
    synthesizedCharacters,
  });
  if (!tenant.voiceId) return say();
  if (deadline.allow(settings.redisTimeoutMs, reserveMs) < MIN_LOOKUP_MS) {
    failures.degraded('tts_skipped_no_time');
    return say();
  }
  const entry = { customerId, voiceId: tenant.voiceId, modelId: settings.ttsModelId, text };

  try {
    const token = await runtime.audio.findCached({ ...entry, timeoutMs: deadline.allow(settings.redisTimeoutMs, reserveMs) });
    if (token) return { speech: { type: 'play', audio_token: token, text }, ttsMs: Date.now() - startedAt, synthesizedCharacters: 0 };
  } catch (error) {
    // Without Redis the audio could not be stored for Twilio to fetch anyway.
    failures.dependencyFailed({ dependency: 'redis', error, customerId, callSid, operation: 'find cached audio' });
    failures.degraded('tts_say_fallback');
    return say();
  }

  let apiKey: string | undefined;
  if (tenant.byokProviders.includes('elevenlabs')) {
    try {
      apiKey = await runtime.providerKeys.tenantKey({
        customerId,
        provider: 'elevenlabs',
        timeoutMs: deadline.allow(settings.databaseTimeoutMs, reserveMs + MIN_SYNTHESIS_MS),
      });
    } catch (error) {
      failures.dependencyFailed({ dependency: 'byok', error, customerId, callSid, operation: 'load ElevenLabs key' });
      failures.degraded('tts_say_fallback');
      return say();
    }
  }

  const synthesisMs = deadline.allow(settings.elevenlabsTimeoutMs, reserveMs);
  if (synthesisMs < MIN_SYNTHESIS_MS) {
    failures.degraded('tts_skipped_no_time');
    return say();
  }
  try {
    const audio = await runtime.tts.synthesize({
      apiKey,
      voiceId: tenant.voiceId,
      modelId: settings.ttsModelId,
      text,
      timeoutMs: synthesisMs,
    });
    return { ...say(text.length), fresh: { audio, entry } };
  } catch (error) {
    failures.dependencyFailed({ dependency: 'elevenlabs', error, customerId, callSid, operation: 'text-to-speech' });
    failures.degraded('tts_say_fallback');
    return say();
  }
}

/**
 * The second half of `speakText`: stores fresh audio under a new token and answers `play`, or
 * `say` with the same words when Redis does not take it. Speech with nothing to store is final.
 */
export async function storeSpeech(options: {
  runtime: Pick<CallRuntime, 'settings' | 'failures' | 'audio'>;
  customerId: number;
  callSid: string;
  prepared: PreparedSpeech;
  deadline: Deadline;
  /** Time to keep for the steps after this one. */
  reserveMs: number;
}): Promise<Speech> {
  const { runtime, customerId, callSid, prepared, deadline, reserveMs } = options;
  if (!prepared.fresh) return prepared.speech;
  const { audio, entry } = prepared.fresh;
  try {
    const token = await runtime.audio.store({ ...entry, audio, timeoutMs: deadline.allow(runtime.settings.redisTimeoutMs, reserveMs) });
    return { type: 'play', audio_token: token, text: entry.text };
  } catch (error) {
    runtime.failures.dependencyFailed({ dependency: 'redis', error, customerId, callSid, operation: 'store audio' });
    runtime.failures.degraded('tts_say_fallback');
    return prepared.speech;
  }
}

import type { Deadline } from '../../lib/timeout';
import type { CallRuntime, Speech } from '../calls/call-runtime';
import type { TenantSnapshot } from '../tenants/tenant-snapshot';

export interface SpeakTextOptions {
  runtime: CallRuntime;
  customerId: number;
  callSid: string;
  tenant: Pick<TenantSnapshot, 'voiceId' | 'byokProviders'>;
  text: string;
  deadline: Deadline;
  /** Time to keep for the steps after this one (saving the call state). */
  reserveMs: number;
}

export interface SpokenText {
  speech: Speech;
  ttsMs: number;
  /** Characters sent to ElevenLabs (0 on a cache hit or a fallback): metered usage. */
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
  const { runtime, customerId, callSid, tenant, text, deadline, reserveMs } = options;
  const { settings, failures } = runtime;
  const startedAt = Date.now();
  const say = (): SpokenText => ({ speech: { type: 'say', text }, ttsMs: Date.now() - startedAt, synthesizedCharacters: 0 });
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

  const synthesisMs = deadline.allow(settings.elevenlabsTimeoutMs, reserveMs + settings.redisTimeoutMs);
  if (synthesisMs < MIN_SYNTHESIS_MS) {
    failures.degraded('tts_skipped_no_time');
    return say();
  }
  let audio: Buffer;
  try {
    audio = await runtime.tts.synthesize({ apiKey, voiceId: tenant.voiceId, modelId: settings.ttsModelId, text, timeoutMs: synthesisMs });
  } catch (error) {
    failures.dependencyFailed({ dependency: 'elevenlabs', error, customerId, callSid, operation: 'text-to-speech' });
    failures.degraded('tts_say_fallback');
    return say();
  }

  try {
    const token = await runtime.audio.store({ ...entry, audio, timeoutMs: deadline.allow(settings.redisTimeoutMs, reserveMs) });
    return { speech: { type: 'play', audio_token: token, text }, ttsMs: Date.now() - startedAt, synthesizedCharacters: text.length };
  } catch (error) {
    failures.dependencyFailed({ dependency: 'redis', error, customerId, callSid, operation: 'store audio' });
    failures.degraded('tts_say_fallback');
    return say();
  }
}

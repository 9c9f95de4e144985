import { AppError } from '@neurosphere/http';
import type { StoredAudio } from '../call-runtime/audio-store';
import type { CallRuntime } from '../call-runtime/call-runtime';
import { renderGreeting } from '../conversation/render-greeting';
import { loadTenantSnapshot } from '../tenants/load-tenant-snapshot';

export interface PreviewGreetingOptions {
  runtime: CallRuntime;
  /** The tenant, from the verified service token. */
  customerId: number;
  /** The ElevenLabs voice to hear; undefined: the tenant's own. */
  voiceId: string | undefined;
  greeting: 'regular' | 'after_hours';
}

/**
 * The tenant's greeting spoken with an ElevenLabs voice, for an admin choosing a voice. It goes
 * through the same per-tenant speech cache as calls (same voice, model and words: same audio), so
 * a preview is synthesized once, and previewing the chosen voice also warms the first call's
 * greeting. The tenant's own ElevenLabs key is used when it has one.
 */
export async function previewGreeting(options: PreviewGreetingOptions): Promise<StoredAudio & { text: string }> {
  const { runtime, customerId } = options;
  const { settings, failures } = runtime;
  const tenant = await loadTenantSnapshot({ db: runtime.db, logger: runtime.logger, customerId, timeoutMs: settings.databaseTimeoutMs });
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  if (options.greeting === 'after_hours' && !tenant.afterHoursGreeting?.trim()) {
    throw new AppError('UNPROCESSABLE', 'There is no after-hours greeting to preview', {
      details: [{ path: 'greeting', message: 'no after_hours_greeting is set' }],
    });
  }
  const voiceId = options.voiceId ?? tenant.voiceId;
  if (!voiceId)
    throw new AppError('UNPROCESSABLE', 'No voice to preview: pass voice_id or set the tenant’s voice_id', {
      details: [{ path: 'voice_id', message: 'required when the tenant has no voice_id' }],
    });
  const text = renderGreeting(tenant, { afterHours: options.greeting === 'after_hours' });
  const entry = { customerId, voiceId, modelId: settings.ttsModelId, text };

  const unavailable = (dependency: 'redis' | 'elevenlabs' | 'byok', error: unknown, operation: string) => {
    failures.dependencyFailed({ dependency, error, customerId, operation });
    return new AppError('UNAVAILABLE', 'Speech synthesis is unavailable right now; try again shortly', { cause: error });
  };
  try {
    const token = await runtime.audio.findCached({ ...entry, timeoutMs: settings.redisTimeoutMs });
    const cached = token ? await runtime.audio.read({ token, timeoutMs: settings.redisTimeoutMs }) : null;
    if (cached) return { audio: cached.audio, text };
  } catch (error) {
    throw unavailable('redis', error, 'find cached preview');
  }

  let apiKey: string | undefined;
  if (tenant.byokProviders.includes('elevenlabs')) {
    try {
      apiKey = await runtime.providerKeys.tenantKey({ customerId, provider: 'elevenlabs', timeoutMs: settings.databaseTimeoutMs });
    } catch (error) {
      throw unavailable('byok', error, 'load ElevenLabs key for a preview');
    }
  }
  let audio: Buffer;
  try {
    audio = await runtime.tts.synthesize({ apiKey, voiceId, modelId: settings.ttsModelId, text, timeoutMs: settings.elevenlabsTimeoutMs });
  } catch (error) {
    throw unavailable('elevenlabs', error, 'voice preview');
  }
  // The audio is returned even when caching it fails: the admin hears it either way.
  await runtime.audio.store({ ...entry, audio, timeoutMs: settings.redisTimeoutMs }).catch((error: unknown) => {
    failures.dependencyFailed({ dependency: 'redis', error, customerId, operation: 'store voice preview' });
  });
  return { audio, text };
}

import { AppError } from '@neurosphere/http';
import type { StoredAudio } from '../call-runtime/audio-store';
import type { CallRuntime } from '../call-runtime/call-runtime';

/**
 * The MP3 behind an audio token and the words it speaks, or 404 when the token is unknown or
 * expired (they look the same).
 */
export async function readAudio(options: { runtime: CallRuntime; token: string }): Promise<StoredAudio> {
  const { runtime, token } = options;
  let audio: StoredAudio | null;
  try {
    audio = await runtime.audio.read({ token, timeoutMs: runtime.settings.redisTimeoutMs });
  } catch (error) {
    runtime.failures.dependencyFailed({ dependency: 'redis', error, operation: 'read audio' });
    throw new AppError('UNAVAILABLE', 'Audio is temporarily unavailable', { cause: error });
  }
  if (!audio) throw new AppError('NOT_FOUND', 'Audio not found or expired');
  return audio;
}

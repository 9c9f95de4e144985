import type { CallInstructions } from '@neurosphere/contracts';
import { PLATFORM_PHRASES } from '../conversation/platform-phrases';

/** Used when the tenant's speech timeout is unknown (no call state and no tenant row). */
export const DEFAULT_SPEECH_TIMEOUT_SECONDS = 5;

/**
 * The answer when the call cannot go on (no call state, no tenant settings): `<Say>` only, since
 * audio needs the Redis that may be what failed. Transfer when the tenant has a number, else hang up.
 */
export function cannotContinueAnswer(transferNumber: string | null | undefined): CallInstructions {
  if (transferNumber) {
    return { speak: [{ type: 'say', text: PLATFORM_PHRASES.unavailableTransfer }], next: { type: 'transfer', number: transferNumber } };
  }
  return { speak: [{ type: 'say', text: PLATFORM_PHRASES.unavailableGoodbye }], next: { type: 'hangup' } };
}

/** The answer when a turn ran out of time: an apology and another chance to speak. */
export function retryAnswer(speechTimeoutSeconds: number): CallInstructions {
  return {
    speak: [{ type: 'say', text: PLATFORM_PHRASES.retryAfterFailure }],
    next: { type: 'gather', speech_timeout_seconds: speechTimeoutSeconds },
  };
}

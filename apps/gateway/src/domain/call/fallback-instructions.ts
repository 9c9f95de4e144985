import type { CallInstructions } from '@neurosphere/contracts';

// What the gateway says on its own when it cannot ask the orchestrator. Neutral platform
// wording: no tenant configured these lines, so they name nobody.

export const UNKNOWN_NUMBER_TEXT = 'Sorry, the number you have called is not in service. Goodbye.';
export const SERVICE_UNAVAILABLE_TEXT = 'Sorry, we cannot take your call right now. Please call back a little later. Goodbye.';
export const SUSPENDED_DEFAULT_TEXT = 'Sorry, this number is not available right now. Goodbye.';
// Our system failed, not the caller: the sentences say so.
export const RETRY_TEXT = 'Sorry, our system had a problem just now. Could you say that again?';
export const TRANSFER_TEXT = 'Sorry, our system is having trouble right now. Let me connect you with someone who can help.';

/** How the gateway degrades a call it cannot hand to the orchestrator. */
export type FallbackKind = 'retry' | 'transfer' | 'hangup';

export const unknownNumberInstructions = (): CallInstructions => ({
  speak: [{ type: 'say', text: UNKNOWN_NUMBER_TEXT }],
  next: { type: 'hangup' },
});

export const suspendedInstructions = (suspendedMessage: string | null): CallInstructions => ({
  speak: [{ type: 'say', text: suspendedMessage?.trim() || SUSPENDED_DEFAULT_TEXT }],
  next: { type: 'hangup' },
});

/** The generic apology when not even the tenant is known (number lookup failed). */
export const serviceUnavailableInstructions = (): CallInstructions => ({
  speak: [{ type: 'say', text: SERVICE_UNAVAILABLE_TEXT }],
  next: { type: 'hangup' },
});

/**
 * Picks the degraded answer: one apology and re-gather when allowed (the retry is marked in the
 * action URL, so a second failure in a row cannot loop), then a transfer to the tenant's own
 * transfer number when it has one, else an apology and hang-up.
 */
export function fallbackInstructions(options: {
  allowRetry: boolean;
  transferNumber: string | null;
  speechTimeoutSeconds: number;
  /** The tenant's language and fallback voice (Twilio's defaults when absent). */
  speech?: { language: string; voice?: string };
}): { kind: FallbackKind; instructions: CallInstructions } {
  const say = (text: string): CallInstructions['speak'][number] => ({ type: 'say', text, ...options.speech });
  if (options.allowRetry) {
    return {
      kind: 'retry',
      instructions: {
        speak: [say(RETRY_TEXT)],
        next: {
          type: 'gather',
          speech_timeout_seconds: options.speechTimeoutSeconds,
          ...(options.speech ? { language: options.speech.language } : {}),
        },
      },
    };
  }
  if (options.transferNumber) {
    return { kind: 'transfer', instructions: { speak: [say(TRANSFER_TEXT)], next: { type: 'transfer', number: options.transferNumber } } };
  }
  return { kind: 'hangup', instructions: { speak: [say(SERVICE_UNAVAILABLE_TEXT)], next: { type: 'hangup' } } };
}

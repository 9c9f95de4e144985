import { z } from 'zod';

// The messages of Twilio's ConversationRelay WebSocket protocol
// (https://www.twilio.com/docs/voice/conversationrelay/websocket-messages). Twilio sends setup,
// prompt, dtmf, interrupt and error; the gateway sends text, play, sendDigits and end. Fields the
// gateway does not use are allowed and ignored (Twilio adds fields over time).

export const twilioRelayMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('setup'),
    sessionId: z.string().min(1),
    callSid: z.string().min(1),
    from: z.string().optional(),
    to: z.string().optional(),
    customParameters: z.record(z.string()).optional(),
  }),
  /** `last: false` only with partialPrompts: the transcript so far; the final one carries all of it. */
  z.object({ type: z.literal('prompt'), voicePrompt: z.string(), lang: z.string().optional(), last: z.boolean().default(true) }),
  z.object({ type: z.literal('dtmf'), digit: z.string().regex(/^[0-9*#]$/, 'digit must be one key: 0-9, * or #') }),
  z.object({
    type: z.literal('interrupt'),
    utteranceUntilInterrupt: z.string().default(''),
    durationUntilInterruptMs: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal('error'), description: z.string().default('') }),
]);
export type TwilioRelayMessage = z.infer<typeof twilioRelayMessageSchema>;
export const TWILIO_RELAY_MESSAGE_TYPES: ReadonlySet<string> = new Set(['setup', 'prompt', 'dtmf', 'interrupt', 'error']);

/** What the gateway sends Twilio. */
export type GatewayRelayMessage =
  | { type: 'text'; token: string; last: boolean }
  | { type: 'play'; source: string; loop?: number; preemptible?: boolean; interruptible?: boolean }
  | { type: 'sendDigits'; digits: string }
  /** Ends the session; Twilio posts `handoffData` to the `<Connect action>` URL as HandoffData. */
  | { type: 'end'; handoffData: string };

/**
 * Close codes of the relay socket. 1003, 1007, 1008 and 1009 are the WebSocket standard's own
 * (RFC 6455 §7.4.1); 4xxx are the application's range, named after the HTTP status they mirror.
 */
export const RELAY_CLOSE = {
  /** The session ended normally (the agent ended it, or the call did). */
  normal: 1000,
  /** A binary frame: Twilio sends only text. */
  binary: 1003,
  /** Not JSON, or a known message with invalid fields. */
  invalidPayload: 1007,
  /** An unknown message type, anything before `setup`, or a `setup` for another call. */
  protocol: 1008,
  /** A message over the size limit (a prompt over 64 KB); sent by the ws library itself. */
  tooLarge: 1009,
  /** The orchestrator does not know the call (never answered here, or already over). */
  unknownCall: 4404,
  /** More messages per second than any real call sends. */
  flood: 4429,
} as const;

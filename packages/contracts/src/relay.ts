import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { customerIdSchema, errorResponseSchema } from './common';
import { startCallRequestSchema, transferStepSchema } from './orchestrator';

const c = initContract();

// The streaming voice path (Twilio ConversationRelay). Twilio holds one WebSocket to the gateway
// per call and does speech recognition and synthesis itself; the gateway turns each finished
// prompt into one streamed request to the orchestrator, which answers with newline-delimited JSON
// events as the model's tokens arrive. The call state stays in Redis, so any orchestrator
// instance can take any request of the call.

/** What the relay TwiML needs from the call's start (the gateway writes `<ConversationRelay>` from it and the tenant's language). */
export const relaySessionSchema = z.object({
  customer_id: customerIdSchema,
  /** Spoken by Twilio as soon as the socket is up (ConversationRelay `welcomeGreeting`). */
  welcome_greeting: z.string().min(1),
  /** The tenant's ElevenLabs voice; null: the provider's default voice. */
  voice_id: z.string().nullable(),
  /** Words speech recognition should expect, as on the gather path (business and agent names, industry and tenant words). */
  hints: z.array(z.string()).optional(),
});
export type RelaySession = z.infer<typeof relaySessionSchema>;

/** Why the relay session ended: the gateway's `<Connect action>` answer follows from it. */
export const relayHandoffSchema = z.discriminatedUnion('reason', [
  /**
   * Dial a person, as the gather path's transfer step does (the number the tenant takes transfers
   * on now, and the whisper). It reaches the `<Connect action>` inside Twilio's signed callback.
   */
  z.object({ reason: z.literal('transfer'), transfer: transferStepSchema }),
  z.object({ reason: z.literal('hangup') }),
  /** The streaming path could not go on: the gateway's degraded answer (transfer or apology). */
  z.object({ reason: z.literal('fallback') }),
]);
export type RelayHandoff = z.infer<typeof relayHandoffSchema>;

/** One line of the orchestrator's streamed answer. */
export const relayEventSchema = z.discriminatedUnion('type', [
  /** Forwarded to Twilio as a `text` message; `last` closes the agent's utterance. */
  z.object({ type: z.literal('text'), token: z.string(), last: z.boolean() }),
  /** Forwarded as `sendDigits`. */
  z.object({ type: z.literal('digits'), digits: z.string().regex(/^[0-9*#wW]+$/) }),
  /** Forwarded as `end` with this handoff; nothing follows it. */
  z.object({ type: z.literal('end'), handoff: relayHandoffSchema }),
]);
export type RelayEvent = z.infer<typeof relayEventSchema>;

/** What the caller did: said something (a final prompt), pressed a key, or stayed silent. */
export const relayInputSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('speech'), text: z.string().trim().min(1).max(65_536) }),
  z.object({ type: z.literal('dtmf'), digit: z.string().regex(/^[0-9*#]$/, 'digit must be one key: 0-9, * or #') }),
  z.object({ type: z.literal('silence') }),
]);
export type RelayInput = z.infer<typeof relayInputSchema>;

const callSidParams = z.object({ callSid: z.string().min(1) });
const okSchema = z.object({ customer_id: customerIdSchema, success: z.literal(true) });
const refusals = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

export const RELAY_EVENT_CONTENT_TYPE = 'application/x-ndjson';

/** The orchestrator's relay routes, called by the gateway with a service JWT for the call's tenant and call. */
export const relayContract = c.router({
  startRelayCall: {
    method: 'POST',
    path: '/v1/relay/calls/start',
    body: startCallRequestSchema,
    responses: { 200: relaySessionSchema, ...refusals },
    summary: 'A relay call was answered: load tenant + caller context, store the call state, return the TwiML settings',
  },
  relaySetup: {
    method: 'POST',
    path: '/v1/relay/calls/:callSid/setup',
    pathParams: callSidParams,
    body: z.object({ customer_id: customerIdSchema, session_id: z.string().min(1) }),
    responses: { 200: okSchema, ...refusals },
    summary: "Twilio's socket for the call is up (ConversationRelay `setup`); 404 when the call is unknown",
  },
  relayPrompt: {
    method: 'POST',
    path: '/v1/relay/calls/:callSid/prompt',
    pathParams: callSidParams,
    body: z.object({ customer_id: customerIdSchema, input: relayInputSchema }),
    responses: { 200: c.otherResponse({ contentType: RELAY_EVENT_CONTENT_TYPE, body: z.string() }), ...refusals },
    summary: "The caller's turn: the agent's answer as newline-delimited relay events, streamed as the model writes it",
  },
  relayInterrupt: {
    method: 'POST',
    path: '/v1/relay/calls/:callSid/interrupt',
    pathParams: callSidParams,
    body: z.object({
      customer_id: customerIdSchema,
      /** What the caller heard of the agent's last answer before talking over it. */
      utterance_until_interrupt: z.string().max(65_536),
      duration_until_interrupt_ms: z.number().int().nonnegative().optional(),
    }),
    responses: { 200: okSchema, ...refusals },
    summary: 'The caller talked over the agent: the transcript keeps only what was heard',
  },
});

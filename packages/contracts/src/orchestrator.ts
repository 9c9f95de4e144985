import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { customerIdSchema, e164PhoneSchema, errorResponseSchema } from './common';
import { healthContract } from './health';
import { SPEECH_TEXT_HEADER } from './speech-text-header';

const c = initContract();

/**
 * What the caller hears, in order. The orchestrator decides; the gateway renders it as TwiML
 * with the twilio library (it is the only app that writes TwiML). `play` carries an unguessable,
 * expiring audio token the gateway turns into a public URL (`/audio/<token>`).
 */
export const speechSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('play'), audio_token: z.string().min(16), text: z.string() }),
  z.object({
    type: z.literal('say'),
    text: z.string(),
    /** Twilio <Say> voice (e.g. Polly.Joanna-Neural); absent: Twilio's default for the language. */
    voice: z.string().optional(),
    /** BCP-47 language of the words (e.g. en-US). */
    language: z.string().optional(),
  }),
]);

/**
 * Listen for the caller. `speech_timeout_seconds` is the original field, rendered by gateways
 * that know nothing newer as both timeouts; the optional fields (added later, so old and new
 * services understand each other during a deploy) say how to listen precisely.
 */
export const gatherStepSchema = z.object({
  type: z.literal('gather'),
  speech_timeout_seconds: z.number().int().positive(),
  /** Seconds of silence before the gather gives up waiting for the caller to start (Twilio `timeout`). */
  timeout_seconds: z.number().int().positive().optional(),
  /** How long a pause ends the caller's turn: seconds, or `auto` (Twilio `speechTimeout`). */
  speech_timeout: z.union([z.literal('auto'), z.number().int().positive()]).optional(),
  /** Twilio `speechModel`; absent: Twilio chooses. */
  speech_model: z.string().optional(),
  /** Twilio `enhanced` (the premium phone_call model). */
  enhanced: z.boolean().optional(),
  /** BCP-47 language of the caller's speech (Twilio `language`). */
  language: z.string().optional(),
  /** Words and phrases recognition should expect (Twilio `hints`). */
  hints: z.array(z.string()).optional(),
  /** Also accept keypad digits (Twilio `input="speech dtmf"`). */
  dtmf: z.boolean().optional(),
  /** With dtmf: end the gather after this many digits. */
  num_digits: z.number().int().positive().optional(),
});

/** A transfer to a person: a <Dial> that rings the number, whispers to who answers, and reports how it ended. */
export const transferStepSchema = z.object({
  type: z.literal('transfer'),
  number: z.string(),
  /** Seconds to let the person's phone ring before giving up (Twilio <Dial timeout>). */
  timeout_seconds: z.number().int().positive().optional(),
  /** The number the person sees calling: the business's own (Twilio <Dial callerId>). */
  caller_id: z.string().optional(),
  /** Said to the person who answers, before the caller is connected (who is calling, and why). */
  whisper: z.object({ text: z.string(), voice: z.string().optional(), language: z.string().optional() }).optional(),
});
export type TransferStep = z.infer<typeof transferStepSchema>;

/** What happens after the speech. */
export const nextStepSchema = z.discriminatedUnion('type', [gatherStepSchema, transferStepSchema, z.object({ type: z.literal('hangup') })]);

export const callInstructionsSchema = z.object({
  speak: z.array(speechSchema),
  next: nextStepSchema,
});
export type CallInstructions = z.infer<typeof callInstructionsSchema>;

export const startCallRequestSchema = z.object({
  customer_id: customerIdSchema,
  call_sid: z.string().min(1),
  /** The caller's number; null when the caller id is withheld (the call is answered, without memory). */
  caller: e164PhoneSchema.nullable(),
  called: e164PhoneSchema,
});

export const callTurnRequestSchema = z.object({
  customer_id: customerIdSchema,
  /** What the caller said; null when the gather timed out in silence. */
  speech: z.string().nullable(),
  confidence: z.number().min(0).max(1).optional(),
  /** Keypad digits the caller pressed instead of speaking (Twilio `Digits`). */
  digits: z
    .string()
    .regex(/^[0-9*#]{1,32}$/, 'digits must be keypad characters (0-9, *, #)')
    .optional(),
});

/** How a transfer ended (Twilio's DialCallStatus on the <Dial> action). */
export const transferResultRequestSchema = z.object({
  customer_id: customerIdSchema,
  /** completed, answered, busy, no-answer, failed or canceled. */
  status: z.string().min(1),
});

/** Which greeting to preview. */
export const voicePreviewRequestSchema = z.object({
  customer_id: customerIdSchema,
  /** The ElevenLabs voice to hear; absent: the tenant's current voice. */
  voice_id: z.string().trim().min(1).max(100).optional(),
  greeting: z.enum(['regular', 'after_hours']).default('regular'),
});

export const endCallRequestSchema = z.object({
  customer_id: customerIdSchema,
  status: z.string().min(1),
  duration_seconds: z.number().int().nonnegative().optional(),
});

/**
 * The orchestrator's HTTP API, called by the gateway with a service JWT for the call's tenant
 * (and call_id = the Twilio CallSid); the voice preview is admin-api's.
 */
export const orchestratorContract = c.router({
  health: healthContract,
  startCall: {
    method: 'POST',
    path: '/v1/calls/start',
    body: startCallRequestSchema,
    responses: { 200: callInstructionsSchema, 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema },
    summary: 'A call was answered: load tenant + caller context, return the greeting',
  },
  turn: {
    method: 'POST',
    path: '/v1/calls/:callSid/turn',
    pathParams: z.object({ callSid: z.string().min(1) }),
    body: callTurnRequestSchema,
    responses: {
      200: callInstructionsSchema,
      400: errorResponseSchema,
      401: errorResponseSchema,
      403: errorResponseSchema,
      404: errorResponseSchema,
    },
    summary: "The caller spoke (or stayed silent): the agent's answer",
  },
  endCall: {
    method: 'POST',
    path: '/v1/calls/:callSid/end',
    pathParams: z.object({ callSid: z.string().min(1) }),
    body: endCallRequestSchema,
    responses: {
      202: z.object({ success: z.literal(true) }),
      400: errorResponseSchema,
      401: errorResponseSchema,
      403: errorResponseSchema,
    },
    summary: 'Twilio reported the call finished: save the call log, hand the transcript to memory',
  },
  transferResult: {
    method: 'POST',
    path: '/v1/calls/:callSid/transfer-result',
    pathParams: z.object({ callSid: z.string().min(1) }),
    body: transferResultRequestSchema,
    responses: {
      200: callInstructionsSchema,
      400: errorResponseSchema,
      401: errorResponseSchema,
      403: errorResponseSchema,
      404: errorResponseSchema,
    },
    summary: 'A transfer ended: hang up after a bridged call, or come back to the caller and offer to take a message',
  },
  voicePreview: {
    method: 'POST',
    path: '/v1/voice-preview',
    body: voicePreviewRequestSchema,
    responses: {
      200: c.otherResponse({ contentType: 'audio/mpeg', body: z.any() }),
      400: errorResponseSchema,
      401: errorResponseSchema,
      403: errorResponseSchema,
      404: errorResponseSchema,
      /** No after-hours greeting to preview, or no voice (neither voice_id nor the tenant's). */
      422: errorResponseSchema,
      503: errorResponseSchema,
    },
    summary: "The tenant's greeting spoken with an ElevenLabs voice (cached like call audio); called by admin-api",
    description: `The words spoken, percent-encoded, are in the ${SPEECH_TEXT_HEADER} response header.`,
  },
  audio: {
    method: 'GET',
    path: '/v1/audio/:token',
    pathParams: z.object({ token: z.string().min(16) }),
    responses: { 200: c.otherResponse({ contentType: 'audio/mpeg', body: z.any() }), 404: errorResponseSchema },
    summary: 'Synthesized speech by its unguessable, expiring token (no auth: the token is the secret)',
    description: `The words the audio speaks, percent-encoded, are in the ${SPEECH_TEXT_HEADER} response header (absent when unknown).`,
  },
});

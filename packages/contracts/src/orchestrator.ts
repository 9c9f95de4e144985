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
  z.object({ type: z.literal('say'), text: z.string() }),
]);

/** What happens after the speech. */
export const nextStepSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('gather'), speech_timeout_seconds: z.number().int().positive() }),
  z.object({ type: z.literal('transfer'), number: z.string() }),
  z.object({ type: z.literal('hangup') }),
]);

export const callInstructionsSchema = z.object({
  speak: z.array(speechSchema),
  next: nextStepSchema,
});
export type CallInstructions = z.infer<typeof callInstructionsSchema>;

export const startCallRequestSchema = z.object({
  customer_id: customerIdSchema,
  call_sid: z.string().min(1),
  caller: e164PhoneSchema,
  called: e164PhoneSchema,
});

export const callTurnRequestSchema = z.object({
  customer_id: customerIdSchema,
  /** What the caller said; null when the gather timed out in silence. */
  speech: z.string().nullable(),
  confidence: z.number().min(0).max(1).optional(),
});

export const endCallRequestSchema = z.object({
  customer_id: customerIdSchema,
  status: z.string().min(1),
  duration_seconds: z.number().int().nonnegative().optional(),
});

/**
 * The orchestrator's HTTP API, called by the gateway with a service JWT for the call's tenant
 * (and call_id = the Twilio CallSid).
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
  audio: {
    method: 'GET',
    path: '/v1/audio/:token',
    pathParams: z.object({ token: z.string().min(16) }),
    responses: { 200: c.otherResponse({ contentType: 'audio/mpeg', body: z.any() }), 404: errorResponseSchema },
    summary: 'Synthesized speech by its unguessable, expiring token (no auth: the token is the secret)',
    description: `The words the audio speaks, percent-encoded, are in the ${SPEECH_TEXT_HEADER} response header (absent when unknown).`,
  },
});

import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { e164PhoneSchema, errorResponseSchema } from './common';
import { healthContract } from './health';

const c = initContract();

export const smsStatusSchema = z.enum(['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received']);

export const smsMessageSchema = z.object({
  id: z.string(),
  direction: z.enum(['outbound', 'inbound']),
  to: z.string(),
  from: z.string(),
  body: z.string(),
  status: smsStatusSchema,
  template: z.string().nullable(),
  twilio_sid: z.string().nullable(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type SmsMessage = z.infer<typeof smsMessageSchema>;

export const sendSmsRequestSchema = z
  .object({
    to: e164PhoneSchema,
    body: z.string().min(1).max(1600).optional(),
    /** Name of one of the tenant's SMS templates, rendered with the caller's profile fields. */
    template: z.string().min(1).optional(),
    variables: z.record(z.string()).optional(),
    idempotency_key: z.string().min(1).max(200).optional(),
    call_sid: z.string().optional(),
  })
  .refine((value) => Boolean(value.body) !== Boolean(value.template), {
    message: 'exactly one of body or template is required',
    path: ['body'],
  });

/** What the gateway hands over from Twilio's inbound SMS webhook (tenant found by the To number). */
export const inboundSmsRequestSchema = z.object({
  message_sid: z.string().min(1),
  from: e164PhoneSchema,
  to: e164PhoneSchema,
  body: z.string(),
});

/** What the gateway hands over from Twilio's message status callback. */
export const smsStatusCallbackRequestSchema = z.object({
  message_sid: z.string().min(1),
  message_status: z.string().min(1),
  error_code: z.string().optional(),
  error_message: z.string().optional(),
});

/**
 * The SMS service's HTTP API. Every route needs a service JWT; the tenant is the token's
 * customer_id. The SMS team extends this router.
 */
export const smsContract = c.router({
  health: healthContract,
  sendMessage: {
    method: 'POST',
    path: '/v1/messages',
    body: sendSmsRequestSchema,
    responses: {
      202: z.object({ success: z.literal(true), message: smsMessageSchema }),
      400: errorResponseSchema,
      401: errorResponseSchema,
      403: errorResponseSchema,
      409: errorResponseSchema,
      422: errorResponseSchema,
      429: errorResponseSchema,
    },
    summary: 'Record, queue and send a text from the tenant number',
  },
  inbound: {
    method: 'POST',
    path: '/v1/inbound',
    body: inboundSmsRequestSchema,
    responses: {
      200: z.object({ success: z.literal(true), reply: z.string().nullable() }),
      400: errorResponseSchema,
      401: errorResponseSchema,
    },
    summary: 'An inbound text (STOP/START/HELP handled here); reply is what to text back, if anything',
  },
  statusCallback: {
    method: 'POST',
    path: '/v1/status-callbacks',
    body: smsStatusCallbackRequestSchema,
    responses: {
      200: z.object({ success: z.literal(true), updated: z.boolean() }),
      400: errorResponseSchema,
      401: errorResponseSchema,
    },
    summary: "Twilio's delivery status for an outbound message",
  },
});

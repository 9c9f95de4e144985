import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { e164PhoneSchema, errorResponseSchema } from './common';
import { healthContract } from './health';

const c = initContract();

export const smsStatusSchema = z.enum(['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received']);
export type SmsStatus = z.infer<typeof smsStatusSchema>;

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
    /** Values for the template's {{placeholders}}; they win over the caller's profile fields. */
    variables: z.record(z.string()).optional(),
    /** Sending twice with the same key (per tenant) sends once and answers with the first message. */
    idempotency_key: z.string().min(1).max(200).optional(),
    call_sid: z.string().optional(),
  })
  .refine((value) => Boolean(value.body) !== Boolean(value.template), {
    message: 'exactly one of body or template is required',
    path: ['body'],
  });
export type SendSmsRequest = z.input<typeof sendSmsRequestSchema>;

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

/** An ISO 8601 date ("2026-11-29") or date-time with offset ("2026-11-29T10:00:00Z"). */
const isoInstantSchema = (name: string) =>
  z
    .string()
    .refine(
      (value) => /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/.test(value) && !Number.isNaN(Date.parse(value)),
      `${name} must be an ISO 8601 date or date-time with offset, e.g. 2026-11-29 or 2026-11-29T10:00:00Z`,
    );

export const listSmsMessagesQuerySchema = z
  .object({
    /** The other party or the tenant's number: matches messages sent to or from it. */
    phone_number: e164PhoneSchema.optional(),
    status: smsStatusSchema.optional(),
    direction: z.enum(['outbound', 'inbound']).optional(),
    /** Messages created at or after this instant. */
    since: isoInstantSchema('since').optional(),
    /** Messages created strictly before this instant. */
    until: isoInstantSchema('until').optional(),
    limit: z.coerce
      .number({ invalid_type_error: 'limit must be an integer between 1 and 100' })
      .int('limit must be an integer between 1 and 100')
      .min(1, 'limit must be an integer between 1 and 100')
      .max(100, 'limit must be an integer between 1 and 100')
      .default(50),
    /** `next_cursor` of the previous page. */
    cursor: z.string().min(1, 'cursor must not be empty').optional(),
  })
  .refine((query) => !query.since || !query.until || Date.parse(query.since) < Date.parse(query.until), {
    message: 'since must be before until',
    path: ['since'],
  });

/** The sms routes proper (without health), as the sms service mounts them. */
export const smsApiContract = c.router({
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
      /** code RECIPIENT_OPTED_OUT: the recipient replied STOP to this tenant; or UNPROCESSABLE (template, number). */
      422: errorResponseSchema,
      429: errorResponseSchema,
      500: errorResponseSchema,
      503: errorResponseSchema,
    },
    summary: 'Record, queue and send a text from the tenant number',
  },
  listMessages: {
    method: 'GET',
    path: '/v1/messages',
    query: listSmsMessagesQuerySchema,
    responses: {
      200: z.object({ success: z.literal(true), messages: z.array(smsMessageSchema), next_cursor: z.string().nullable() }),
      400: errorResponseSchema,
      401: errorResponseSchema,
      403: errorResponseSchema,
      500: errorResponseSchema,
    },
    summary: "The tenant's message log, newest first, with cursor pagination",
  },
  getMessage: {
    method: 'GET',
    path: '/v1/messages/:id',
    pathParams: z.object({ id: z.string().uuid('id must be a UUID') }),
    responses: {
      200: z.object({ success: z.literal(true), message: smsMessageSchema }),
      400: errorResponseSchema,
      401: errorResponseSchema,
      403: errorResponseSchema,
      404: errorResponseSchema,
      500: errorResponseSchema,
    },
    summary: 'One message of the tenant',
  },
  inbound: {
    method: 'POST',
    path: '/v1/inbound',
    body: inboundSmsRequestSchema,
    responses: {
      200: z.object({ success: z.literal(true), reply: z.string().nullable() }),
      400: errorResponseSchema,
      401: errorResponseSchema,
      403: errorResponseSchema,
      500: errorResponseSchema,
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
      403: errorResponseSchema,
      500: errorResponseSchema,
    },
    summary: "Twilio's delivery status for an outbound message",
  },
});

/**
 * The SMS service's HTTP API. Every route needs a service JWT; the tenant is the token's
 * customer_id, and the token's issuer must be a service the sms service accepts for the route.
 */
export const smsContract = c.router({
  health: healthContract,
  ...smsApiContract,
});

import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { e164PhoneSchema } from '../common';
import { notificationEventTypeSchema } from './notification-events';
import {
  cursorSchema,
  emailSchema,
  errorResponses,
  isoDateTime,
  pageLimitSchema,
  tenantPathSchema,
  tenantPaths,
  tenantRoute,
} from './shared';

const c = initContract();

const eventsSchema = z
  .array(notificationEventTypeSchema, { required_error: 'events is required', invalid_type_error: 'events must be a list of event types' })
  .min(1, 'events must name at least one event type')
  .transform((events) => [...new Set(events)].sort());

export const notificationRuleSchema = z.object({
  id: z.string(),
  channel: z.enum(['sms', 'email']),
  /** The staff member's phone number (sms) or email address (email). */
  target: z.string(),
  events: z.array(notificationEventTypeSchema),
  enabled: z.boolean(),
  created_by: z.string(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
export type NotificationRuleView = z.infer<typeof notificationRuleSchema>;

export const createNotificationRuleRequestSchema = z.discriminatedUnion(
  'channel',
  [
    z.object({ channel: z.literal('sms'), target: e164PhoneSchema, events: eventsSchema, enabled: z.boolean().default(true) }).strict(),
    z.object({ channel: z.literal('email'), target: emailSchema, events: eventsSchema, enabled: z.boolean().default(true) }).strict(),
  ],
  { errorMap: () => ({ message: 'channel must be sms or email (webhooks: POST .../webhooks)' }) },
);

export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(notificationEventTypeSchema),
  enabled: z.boolean(),
  /** Until when the previous secret still signs too (after a rotation), or null. */
  previous_secret_expires_at: isoDateTime.nullable(),
  created_by: z.string(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
export type WebhookEndpointView = z.infer<typeof webhookEndpointSchema>;

const webhookUrlSchema = z
  .string({ required_error: 'url is required' })
  .trim()
  .max(2000, 'url is too long')
  .url('url must be an absolute URL')
  // zod runs refinements even after .url() failed, so the URL may not parse here.
  .refine((value) => !URL.canParse(value) || /^https?:$/.test(new URL(value).protocol), 'url must be http or https');

export const notificationDeliverySchema = z.object({
  id: z.string(),
  event_id: z.string(),
  event_type: notificationEventTypeSchema,
  channel: z.enum(['sms', 'email', 'webhook']),
  target: z.string(),
  /** The rule or webhook endpoint that asked for it. */
  source_id: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  attempts: z.number().int(),
  replays: z.number().int(),
  /** The webhook receiver's HTTP status on the last attempt. */
  response_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
  completed_at: isoDateTime.nullable(),
});
export type NotificationDeliveryView = z.infer<typeof notificationDeliverySchema>;

const rulePath = tenantPathSchema.extend({ ruleId: z.string().uuid('ruleId must be a rule id (UUID)') });
const webhookPath = tenantPathSchema.extend({ webhookId: z.string().uuid('webhookId must be a webhook id (UUID)') });

/**
 * Part of `adminApiContract.tenant`: who is told when the agent takes a message or a callback
 * request (and about the other events): staff SMS and email rules, and signed outbound webhooks
 * (docs/WEBHOOKS.md: payloads and signatures), with the delivery log and manual replay.
 */
export const tenantNotificationsContract = c.router({
  listNotificationRules: {
    method: 'GET',
    path: tenantPaths('/notification-rules'),
    pathParams: tenantPathSchema,
    responses: { 200: z.object({ success: z.literal(true), rules: z.array(notificationRuleSchema) }), ...errorResponses },
    metadata: tenantRoute('admin'),
    summary: 'Staff SMS and email notification rules, newest first',
  },
  createNotificationRule: {
    method: 'POST',
    path: tenantPaths('/notification-rules'),
    pathParams: tenantPathSchema,
    body: createNotificationRuleRequestSchema,
    responses: { 201: z.object({ success: z.literal(true), rule: notificationRuleSchema }), ...errorResponses },
    metadata: tenantRoute('admin'),
    summary: 'Text or email a staff member about the given events (audited)',
  },
  updateNotificationRule: {
    method: 'PATCH',
    path: tenantPaths('/notification-rules/:ruleId'),
    pathParams: rulePath,
    body: z
      .object({ events: eventsSchema.optional(), enabled: z.boolean().optional() })
      .strict()
      .refine((value) => Object.keys(value).length > 0, { message: 'send at least one of events, enabled' }),
    responses: { 200: z.object({ success: z.literal(true), rule: notificationRuleSchema }), ...errorResponses },
    metadata: tenantRoute('admin'),
    summary: "Change a rule's events or switch it on or off (audited)",
  },
  deleteNotificationRule: {
    method: 'DELETE',
    path: tenantPaths('/notification-rules/:ruleId'),
    pathParams: rulePath,
    body: c.noBody(),
    responses: { 200: z.object({ success: z.literal(true) }), ...errorResponses },
    metadata: tenantRoute('admin'),
    summary: 'Delete a rule (audited); its past deliveries stay in the log',
  },
  listWebhooks: {
    method: 'GET',
    path: tenantPaths('/webhooks'),
    pathParams: tenantPathSchema,
    responses: { 200: z.object({ success: z.literal(true), webhooks: z.array(webhookEndpointSchema) }), ...errorResponses },
    metadata: tenantRoute('admin'),
    summary: 'Outbound webhook endpoints (never their secrets), newest first',
  },
  createWebhook: {
    method: 'POST',
    path: tenantPaths('/webhooks'),
    pathParams: tenantPathSchema,
    body: z
      .object({
        url: webhookUrlSchema,
        description: z.string().trim().max(200).nullable().optional(),
        events: eventsSchema,
        enabled: z.boolean().default(true),
      })
      .strict(),
    responses: {
      201: z.object({
        success: z.literal(true),
        webhook: webhookEndpointSchema,
        /** The signing secret (whsec_...). Shown this once: store it in the receiver now. */
        secret: z.string(),
      }),
      ...errorResponses,
    },
    metadata: tenantRoute('admin'),
    summary: 'Add a signed webhook endpoint (audited); its signing secret is in this answer only',
  },
  updateWebhook: {
    method: 'PATCH',
    path: tenantPaths('/webhooks/:webhookId'),
    pathParams: webhookPath,
    body: z
      .object({
        url: webhookUrlSchema.optional(),
        description: z.string().trim().max(200).nullable().optional(),
        events: eventsSchema.optional(),
        enabled: z.boolean().optional(),
      })
      .strict()
      .refine((value) => Object.keys(value).length > 0, { message: 'send at least one of url, description, events, enabled' }),
    responses: { 200: z.object({ success: z.literal(true), webhook: webhookEndpointSchema }), ...errorResponses },
    metadata: tenantRoute('admin'),
    summary: 'Change a webhook endpoint (audited)',
  },
  deleteWebhook: {
    method: 'DELETE',
    path: tenantPaths('/webhooks/:webhookId'),
    pathParams: webhookPath,
    body: c.noBody(),
    responses: { 200: z.object({ success: z.literal(true) }), ...errorResponses },
    metadata: tenantRoute('admin'),
    summary: 'Delete a webhook endpoint (audited); its past deliveries stay in the log',
  },
  rotateWebhookSecret: {
    method: 'POST',
    path: tenantPaths('/webhooks/:webhookId/rotate-secret'),
    pathParams: webhookPath,
    body: z
      .object({
        /** How long the old secret keeps signing beside the new one (0: stop at once). */
        grace_seconds: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 3600, 'grace_seconds must be at most 7 days')
          .default(24 * 3600),
      })
      .strict(),
    responses: { 200: z.object({ success: z.literal(true), webhook: webhookEndpointSchema, secret: z.string() }), ...errorResponses },
    metadata: tenantRoute('admin'),
    summary: 'New signing secret (audited); during the grace period deliveries carry a signature with each secret',
  },
  listNotificationDeliveries: {
    method: 'GET',
    path: tenantPaths('/notification-deliveries'),
    pathParams: tenantPathSchema,
    query: z.object({
      status: z.enum(['pending', 'succeeded', 'failed']).optional(),
      channel: z.enum(['sms', 'email', 'webhook']).optional(),
      event_type: notificationEventTypeSchema.optional(),
      cursor: cursorSchema.optional(),
      limit: pageLimitSchema,
    }),
    responses: {
      200: z.object({ success: z.literal(true), deliveries: z.array(notificationDeliverySchema), next_cursor: z.string().nullable() }),
      ...errorResponses,
    },
    metadata: tenantRoute('admin'),
    summary: 'The delivery log, newest first',
  },
  replayNotificationDelivery: {
    method: 'POST',
    path: tenantPaths('/notification-deliveries/:deliveryId/replay'),
    pathParams: tenantPathSchema.extend({ deliveryId: z.string().uuid('deliveryId must be a delivery id (UUID)') }),
    body: c.noBody(),
    responses: { 202: z.object({ success: z.literal(true), delivery: notificationDeliverySchema }), ...errorResponses },
    metadata: tenantRoute('admin'),
    summary: 'Send a delivery again (same event id, fresh signature), e.g. after the receiver was down (audited)',
  },
});

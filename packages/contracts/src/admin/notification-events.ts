import { z } from 'zod';

/**
 * The events a tenant can be notified about, and the JSON body of every outbound webhook
 * (docs/WEBHOOKS.md explains them with examples, and how to check the signature). The admin-api
 * builds each body through these schemas, so the documented shape is the one sent.
 */
export const notificationEventTypes = [
  'call.started',
  'call.completed',
  'message.taken',
  'callback.requested',
  'transfer.failed',
  'sms.received',
] as const;
export const notificationEventTypeSchema = z.enum(notificationEventTypes, {
  errorMap: () => ({ message: `must be one of ${notificationEventTypes.join(', ')}` }),
});
export type NotificationEventType = z.infer<typeof notificationEventTypeSchema>;

const instant = z.string().datetime({ offset: true });

const callSchema = z.object({
  /** The call's id in this API (GET /v1/tenants/:customerId/calls/:callId). */
  id: z.string().uuid().nullable(),
  call_sid: z.string(),
  /** The caller's number (E.164). */
  from: z.string(),
  /** The business's number that was called. */
  to: z.string(),
  started_at: instant.nullable(),
});

const inboxItemEventSchema = z.object({
  /** The inbox item (GET /v1/tenants/:customerId/inbox/:itemId). */
  id: z.string().uuid(),
  kind: z.enum(['message', 'callback']),
  caller: z.object({ phone: z.string(), name: z.string().nullable() }),
  reason: z.string(),
  callback_time: z.string().nullable(),
  urgency: z.enum(['low', 'normal', 'high']),
  call_sid: z.string().nullable(),
  created_at: instant,
});

export const notificationEventDataSchemas = {
  'call.started': z.object({ call: callSchema }),
  'call.completed': z.object({
    call: callSchema.extend({
      ended_at: instant.nullable(),
      duration_seconds: z.number().int().nullable(),
      outcome: z.string().nullable(),
    }),
    summary: z.object({ text: z.string(), key_topics: z.array(z.string()) }),
  }),
  'message.taken': z.object({ item: inboxItemEventSchema }),
  'callback.requested': z.object({ item: inboxItemEventSchema }),
  // Nobody answered the agent's transfer and the caller left no message: someone should call back.
  'transfer.failed': z.object({ call: callSchema.extend({ ended_at: instant.nullable(), duration_seconds: z.number().int().nullable() }) }),
  'sms.received': z.object({
    message: z.object({ id: z.string().uuid(), from: z.string(), to: z.string(), body: z.string(), received_at: instant }),
  }),
} as const satisfies Record<NotificationEventType, z.ZodTypeAny>;

export type NotificationEventData<T extends NotificationEventType> = z.infer<(typeof notificationEventDataSchemas)[T]>;

/** The envelope every webhook body has; `data` depends on `type`. */
export const webhookEnvelopeSchema = z.object({
  /** The event's id: the same in every delivery and replay of it (use it to drop duplicates). */
  id: z.string().uuid(),
  type: notificationEventTypeSchema,
  /** When it happened. */
  created_at: instant,
  /** The tenant. */
  customer_id: z.number().int().positive(),
  data: z.record(z.unknown()),
});
export type WebhookEnvelope = z.infer<typeof webhookEnvelopeSchema>;

/** The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (one v1 per active secret). */
export const WEBHOOK_SIGNATURE_HEADER = 'NeuroSphere-Signature';
export const WEBHOOK_EVENT_HEADER = 'NeuroSphere-Event';
export const WEBHOOK_DELIVERY_HEADER = 'NeuroSphere-Delivery';
/** How old a signature's timestamp may be before a receiver should refuse it (replay protection). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

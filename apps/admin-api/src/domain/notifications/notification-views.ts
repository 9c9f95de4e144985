import type { NotificationDeliveryView, NotificationEventType, NotificationRuleView, WebhookEndpointView } from '@neurosphere/contracts';
import { notificationEventTypeSchema } from '@neurosphere/contracts';
import type { NotificationDelivery, NotificationRule, WebhookEndpoint } from '@neurosphere/db';

/** Event types stored as text, as the API shows them (an unknown one, from a future version, is left out). */
function knownEvents(events: string[]): NotificationEventType[] {
  return events.flatMap((event) => {
    const parsed = notificationEventTypeSchema.safeParse(event);
    return parsed.success ? [parsed.data] : [];
  });
}

export function toRuleView(rule: NotificationRule): NotificationRuleView {
  return {
    id: rule.id,
    channel: rule.channel === 'email' ? 'email' : 'sms',
    target: rule.target,
    events: knownEvents(rule.events),
    enabled: rule.enabled,
    created_by: rule.createdBy,
    created_at: rule.createdAt.toISOString(),
    updated_at: rule.updatedAt.toISOString(),
  };
}

/** Never the secret: it is shown only when it is made. */
export function toWebhookView(endpoint: WebhookEndpoint, now = new Date()): WebhookEndpointView {
  const graceEnds = endpoint.previousSecretExpiresAt;
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: knownEvents(endpoint.events),
    enabled: endpoint.enabled,
    previous_secret_expires_at: endpoint.previousSecret && graceEnds && graceEnds > now ? graceEnds.toISOString() : null,
    created_by: endpoint.createdBy,
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

export function toDeliveryView(delivery: NotificationDelivery & { eventType: NotificationEventType }): NotificationDeliveryView {
  return {
    id: delivery.id,
    event_id: delivery.eventId,
    event_type: delivery.eventType,
    channel: delivery.channel,
    target: delivery.target,
    source_id: delivery.sourceId,
    status: delivery.status,
    attempts: delivery.attempts,
    replays: delivery.replays,
    response_status: delivery.responseStatus,
    last_error: delivery.lastError,
    created_at: delivery.createdAt.toISOString(),
    updated_at: delivery.updatedAt.toISOString(),
    completed_at: delivery.completedAt?.toISOString() ?? null,
  };
}

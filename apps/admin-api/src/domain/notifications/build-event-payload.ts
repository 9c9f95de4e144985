import type { NotificationEventType, WebhookEnvelope } from '@neurosphere/contracts';
import { notificationEventDataSchemas, notificationEventTypeSchema } from '@neurosphere/contracts';
import type { Call, NotificationEvent, TenantTx } from '@neurosphere/db';

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

/** The call as every event about one describes it (the `call` object of docs/WEBHOOKS.md). */
const callFields = (call: Call) => ({
  id: call.id,
  call_sid: call.callSid,
  from: call.fromNumber,
  to: call.toNumber,
  started_at: iso(call.startedAt),
});

/**
 * The documented body of an event (docs/WEBHOOKS.md), built from the row it is about as that row
 * is now. Null when the row is gone (a caller erased since) or the type is unknown: there is
 * nothing left to tell.
 */
export async function buildEventPayload(
  tx: TenantTx,
  event: NotificationEvent,
): Promise<{ type: NotificationEventType; envelope: WebhookEnvelope } | null> {
  const parsedType = notificationEventTypeSchema.safeParse(event.type);
  if (!parsedType.success) return null;
  const type = parsedType.data;
  const data = await buildData(tx, event, type);
  if (data === null) return null;
  return {
    type,
    envelope: {
      id: event.id,
      type,
      created_at: event.occurredAt.toISOString(),
      customer_id: event.customerId,
      data: notificationEventDataSchemas[type].parse(data),
    },
  };
}

async function buildData(tx: TenantTx, event: NotificationEvent, type: NotificationEventType): Promise<Record<string, unknown> | null> {
  const { customerId, subjectId: id } = event;
  switch (type) {
    case 'call.started': {
      const call = await tx.call.findUnique({ where: { customerId_id: { customerId, id } } });
      return call && { call: callFields(call) };
    }
    case 'call.completed': {
      const summary = await tx.callSummary.findUnique({ where: { customerId_id: { customerId, id } } });
      if (!summary) return null;
      const call = await tx.call.findUnique({ where: { customerId_callSid: { customerId, callSid: summary.callSid } } });
      return {
        call: {
          id: call?.id ?? null,
          call_sid: summary.callSid,
          from: call?.fromNumber ?? summary.userId,
          to: call?.toNumber ?? '',
          started_at: iso(call?.startedAt),
          ended_at: iso(call?.endedAt),
          duration_seconds: call?.durationSeconds ?? null,
          outcome: call?.outcome ?? null,
        },
        summary: {
          text: summary.summary,
          key_topics: Array.isArray(summary.keyTopics)
            ? summary.keyTopics.filter((topic): topic is string => typeof topic === 'string')
            : [],
        },
      };
    }
    case 'message.taken':
    case 'callback.requested': {
      const item = await tx.callMessage.findUnique({ where: { customerId_id: { customerId, id } } });
      return (
        item && {
          item: {
            id: item.id,
            kind: item.kind,
            caller: { phone: item.callerNumber, name: item.callerName },
            reason: item.message,
            callback_time: item.callbackTime,
            urgency: item.urgency,
            call_sid: item.callSid,
            created_at: item.createdAt.toISOString(),
          },
        }
      );
    }
    case 'transfer.failed': {
      const call = await tx.call.findUnique({ where: { customerId_id: { customerId, id } } });
      return call && { call: { ...callFields(call), ended_at: iso(call.endedAt), duration_seconds: call.durationSeconds } };
    }
    case 'sms.received': {
      const message = await tx.smsMessage.findUnique({ where: { customerId_id: { customerId, id } } });
      return (
        message && {
          message: {
            id: message.id,
            from: message.fromNumber,
            to: message.toNumber,
            body: message.body,
            received_at: (message.receivedAt ?? message.createdAt).toISOString(),
          },
        }
      );
    }
  }
}

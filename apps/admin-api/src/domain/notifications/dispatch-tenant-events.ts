import { withTenant } from '@neurosphere/db';
import type { Db, NotificationChannel } from '@neurosphere/db';

/** The job payload of one delivery attempt series (see jobs/deliver-notification-job.ts). */
export interface DeliveryJobPayload {
  customerId: number;
  deliveryId: string;
  replay: number;
}

export interface DispatchTenantEventsOptions {
  db: Db;
  customerId: number;
  /** Queues one delivery's job (idempotent: a deterministic job id). */
  enqueueDelivery(payload: DeliveryJobPayload): Promise<unknown>;
  /** Events per run (the dispatcher runs again while some are left). */
  limit?: number;
}

/**
 * Turns a tenant's new events into deliveries: one per enabled rule or webhook endpoint that
 * names the event's type. Deliveries are written and their jobs queued in one transaction, which
 * then marks the events dispatched (an event nobody asked for is dropped): if queueing fails,
 * nothing commits and the next run does it all again, and a second run finds the same deliveries
 * (unique per event and source) and the same job ids. Returns how many events it handled.
 */
export async function dispatchTenantEvents(options: DispatchTenantEventsOptions): Promise<number> {
  const { customerId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const events = await tx.notificationEvent.findMany({
      where: { customerId, dispatchedAt: null },
      orderBy: { occurredAt: 'asc' },
      take: options.limit ?? 100,
    });
    if (events.length === 0) return 0;
    const [rules, endpoints] = await Promise.all([
      tx.notificationRule.findMany({ where: { customerId, enabled: true } }),
      tx.webhookEndpoint.findMany({ where: { customerId, enabled: true } }),
    ]);
    const sources: { id: string; channel: NotificationChannel; target: string; events: string[] }[] = [
      ...rules.map((rule) => ({ id: rule.id, channel: rule.channel, target: rule.target, events: rule.events })),
      ...endpoints.map((endpoint) => ({ id: endpoint.id, channel: 'webhook' as const, target: endpoint.url, events: endpoint.events })),
    ];
    const deliveries = events.flatMap((event) =>
      sources
        .filter((source) => source.events.includes(event.type))
        .map((source) => ({ customerId, eventId: event.id, channel: source.channel, target: source.target, sourceId: source.id })),
    );
    const wanted = new Set(deliveries.map((delivery) => delivery.eventId));
    const unwanted = events.filter((event) => !wanted.has(event.id)).map((event) => event.id);
    if (deliveries.length > 0) await tx.notificationDelivery.createMany({ data: deliveries, skipDuplicates: true });
    if (unwanted.length > 0) await tx.notificationEvent.deleteMany({ where: { customerId, id: { in: unwanted }, dispatchedAt: null } });
    if (wanted.size > 0) {
      await tx.notificationEvent.updateMany({ where: { customerId, id: { in: [...wanted] } }, data: { dispatchedAt: new Date() } });
      const queued = await tx.notificationDelivery.findMany({
        where: { customerId, eventId: { in: [...wanted] }, status: 'pending' },
        select: { id: true, replays: true },
      });
      // Last, so a job rarely runs before the commit (and one that does retries shortly); all at
      // once, so the transaction is not held open for one Redis round trip per delivery.
      await Promise.all(
        queued.map((delivery) => options.enqueueDelivery({ customerId, deliveryId: delivery.id, replay: delivery.replays })),
      );
    }
    return events.length;
  });
}

import type { NotificationDeliveryView, NotificationEventType } from '@neurosphere/contracts';
import { notificationEventTypeSchema } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db, NotificationDelivery, Prisma, TenantTx } from '@neurosphere/db';
import { newestFirst } from '../shared/cursor';
import { toDeliveryView } from './notification-views';

export interface ListNotificationDeliveriesOptions {
  db: Db;
  customerId: number;
  status?: 'pending' | 'succeeded' | 'failed';
  channel?: 'sms' | 'email' | 'webhook';
  eventType?: NotificationEventType;
  cursor?: string;
  limit: number;
}

/** The delivery log, newest first, keyset-paginated on (created_at, id). */
export async function listNotificationDeliveries(
  options: ListNotificationDeliveriesOptions,
): Promise<{ deliveries: NotificationDeliveryView[]; nextCursor: string | null }> {
  const { customerId } = options;
  const keyset = newestFirst(options.cursor);
  return withTenant(options.db, customerId, async (tx) => {
    let eventIds: string[] | undefined;
    if (options.eventType) {
      eventIds = (await tx.notificationEvent.findMany({ where: { customerId, type: options.eventType }, select: { id: true } })).map(
        (event) => event.id,
      );
    }
    const where: Prisma.NotificationDeliveryWhereInput = {
      customerId,
      ...(options.status ? { status: options.status } : {}),
      ...(options.channel ? { channel: options.channel } : {}),
      ...(eventIds ? { eventId: { in: eventIds } } : {}),
      ...keyset.where,
    };
    const rows = await tx.notificationDelivery.findMany({ where, orderBy: keyset.orderBy, take: options.limit + 1 });
    const { items, nextCursor } = keyset.page(rows, options.limit);
    return { deliveries: await withEventTypes(tx, customerId, items), nextCursor };
  });
}

/** Delivery views, with the type of each one's event. */
export async function withEventTypes(tx: TenantTx, customerId: number, rows: NotificationDelivery[]): Promise<NotificationDeliveryView[]> {
  const events = await tx.notificationEvent.findMany({
    where: { customerId, id: { in: [...new Set(rows.map((row) => row.eventId))] } },
    select: { id: true, type: true },
  });
  const typeById = new Map(events.map((event) => [event.id, notificationEventTypeSchema.safeParse(event.type)]));
  return rows.flatMap((row) => {
    const type = typeById.get(row.eventId);
    return type?.success ? [toDeliveryView({ ...row, eventType: type.data })] : [];
  });
}

import type { NotificationDeliveryView } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import type { DeliveryJobPayload } from './dispatch-tenant-events';
import { withEventTypes } from './list-notification-deliveries';

/**
 * Sends a delivery again (audited), whatever its state: its replay count goes up, which makes a
 * new job (and leaves any older job of it with nothing to do), and it is pending again. The job
 * is queued before the transaction commits, so a replay that answers 202 is never lost.
 */
export async function replayNotificationDelivery(options: {
  db: Db;
  customerId: number;
  actor: string;
  deliveryId: string;
  enqueueDelivery(payload: DeliveryJobPayload): Promise<unknown>;
}): Promise<NotificationDeliveryView> {
  const { customerId, deliveryId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const found = await tx.notificationDelivery.findUnique({ where: { customerId_id: { customerId, id: deliveryId } } });
    if (!found) throw new AppError('NOT_FOUND', `Delivery ${deliveryId} not found`);
    const delivery = await tx.notificationDelivery.update({
      where: { customerId_id: { customerId, id: deliveryId } },
      data: { status: 'pending', replays: { increment: 1 }, completedAt: null },
    });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'notification_delivery.replayed',
        target: `notification_delivery:${deliveryId}`,
        details: { previous_status: found.status },
      },
    });
    await options.enqueueDelivery({ customerId, deliveryId, replay: delivery.replays });
    const [view] = await withEventTypes(tx, customerId, [delivery]);
    if (!view) throw new AppError('NOT_FOUND', `Delivery ${deliveryId} not found`);
    return view;
  });
}

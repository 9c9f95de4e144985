import { defineJob, jobId, PermanentJobError } from '@neurosphere/jobs';
import { z } from 'zod';
import { deliverNotification, PermanentDeliveryError } from '../domain/notifications/deliver-notification';
import type { NotificationChannels } from '../domain/notifications/deliver-notification';

/**
 * One delivery (a staff text, a staff mail or a webhook call), retried with backoff until it
 * succeeds or its attempts run out; every attempt is written to the delivery log. The id names the
 * delivery and its replay, so dispatching twice queues it once, and a manual replay is new work.
 */
export const deliverNotificationJob = defineJob({
  name: 'deliver-notification',
  queue: 'notifications',
  payload: z.object({ customerId: z.number().int().positive(), deliveryId: z.string().uuid(), replay: z.number().int().min(0) }),
  jobId: (payload) => jobId('notification-delivery', payload.customerId, payload.deliveryId, payload.replay),
  counters: { retry: 'notification_delivery_retry', failed: 'notification_delivery_failed' },
  handler: async (payload, { deps, isLastAttempt }: { deps: NotificationChannels; isLastAttempt: boolean }) => {
    try {
      return await deliverNotification({ ...deps, ...payload, isLastAttempt });
    } catch (error) {
      if (error instanceof PermanentDeliveryError) throw new PermanentJobError(error.message);
      throw error;
    }
  },
});

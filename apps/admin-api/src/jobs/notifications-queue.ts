import { createQueue, enqueue, exponentialRetry } from '@neurosphere/jobs';
import type { Queue } from 'bullmq';
import type { RedisClient } from '@neurosphere/http';
import type { DeliveryJobPayload } from '../domain/notifications/dispatch-tenant-events';
import { deliverNotificationJob } from './deliver-notification-job';

/** The admin-api's queue: notification deliveries (staff SMS, email, webhooks). */
export const NOTIFICATIONS_QUEUE_NAME = 'notifications';

export interface NotificationsQueueOptions {
  connection: RedisClient;
  /** BullMQ key prefix (NOTIFICATIONS_QUEUE_PREFIX); tests pass a unique one per run. */
  prefix?: string;
  /** Attempts per delivery (NOTIFICATION_DELIVERY_ATTEMPTS). */
  attempts: number;
  /** First retry delay, doubling each attempt (NOTIFICATION_RETRY_BACKOFF_MS). */
  backoffMs: number;
}

export interface NotificationsQueue {
  queue: Queue;
  /** Queues one delivery attempt series under its deterministic id. */
  enqueueDelivery(payload: DeliveryJobPayload): Promise<unknown>;
}

export function createNotificationsQueue(options: NotificationsQueueOptions): NotificationsQueue {
  const queue = createQueue(NOTIFICATIONS_QUEUE_NAME, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: {
      ...exponentialRetry(options.attempts, options.backoffMs),
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
  return { queue, enqueueDelivery: (payload) => enqueue(queue, deliverNotificationJob, payload) };
}

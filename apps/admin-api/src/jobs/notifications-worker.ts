import { createWorker } from '@neurosphere/jobs';
import type { CreateWorkerOptions, JobDeps } from '@neurosphere/jobs';
import type { Worker } from 'bullmq';
import { deliverNotificationJob } from './deliver-notification-job';
import { NOTIFICATIONS_QUEUE_NAME } from './notifications-queue';

export const notificationJobs = [deliverNotificationJob] as const;

export type NotificationJobDeps = JobDeps<typeof notificationJobs>;

/** Consumes the notifications queue (main.ts runs it next to the HTTP server). */
export function createNotificationsWorker(options: CreateWorkerOptions<NotificationJobDeps>): Worker {
  return createWorker(NOTIFICATIONS_QUEUE_NAME, notificationJobs, options);
}

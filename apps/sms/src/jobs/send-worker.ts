import { createWorker } from '@neurosphere/jobs';
import type { CreateWorkerOptions, JobDeps } from '@neurosphere/jobs';
import type { Worker } from 'bullmq';
import { sendMessageJob } from './send-message-job';
import { SMS_SEND_QUEUE_NAME } from './send-queue';

/** Every job the send worker runs: one entry per job definition under src/jobs/. */
export const smsJobs = [sendMessageJob] as const;

/** What the sms jobs' handlers need from the process. */
export type SmsJobDeps = JobDeps<typeof smsJobs>;

/** Consumes the send queue in this process. `worker.close()` lets running sends finish. */
export function createSendWorker(options: CreateWorkerOptions<SmsJobDeps>): Worker {
  return createWorker(SMS_SEND_QUEUE_NAME, smsJobs, options);
}

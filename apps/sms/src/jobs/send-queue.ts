import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Logger } from '@neurosphere/http';
import type { Redis } from 'ioredis';
import { DEFAULT_SEND_RETRY_POLICY, handleSendMessageJob, SEND_MESSAGE_JOB, sendMessageJobId } from './send-message-job';
import type { SendMessagePayload, SendRetryPolicy } from './send-message-job';
import type { SendQueuedMessageDeps } from '../domain/messages/send-queued-message';

/** The sms service's one queue (outbound sends). */
export const SMS_SEND_QUEUE_NAME = 'sms-send';

/** What the HTTP side needs from the queue. */
export interface SendQueue {
  /** Enqueues the send of a recorded message; enqueueing the same message again is a no-op. */
  enqueue(payload: SendMessagePayload): Promise<void>;
}

export interface CreateSendQueueOptions {
  connection: Redis;
  /** BullMQ key prefix; tests and benchmarks pass a unique one. Default "bull". */
  prefix?: string;
  retry?: SendRetryPolicy;
}

export function createSendQueue(options: CreateSendQueueOptions): { queue: Queue; sendQueue: SendQueue } {
  const retry = options.retry ?? DEFAULT_SEND_RETRY_POLICY;
  const queue = new Queue(SMS_SEND_QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
  const sendQueue: SendQueue = {
    async enqueue(payload) {
      await queue.add(SEND_MESSAGE_JOB, payload, {
        jobId: sendMessageJobId(payload),
        attempts: retry.attempts,
        backoff: { type: 'exponential', delay: retry.backoffDelayMs },
        // Finished jobs stay a while so a repeated enqueue of the same id stays a no-op; the
        // message's own state is what really prevents a second send.
        removeOnComplete: { age: 24 * 3600, count: 50_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    },
  };
  return { queue, sendQueue };
}

export interface CreateSendWorkerOptions {
  /** An ioredis client created with `maxRetriesPerRequest: null` (BullMQ requires it for workers). */
  connection: Redis;
  prefix?: string;
  concurrency: number;
  deps: SendQueuedMessageDeps;
  logger: Logger;
}

/** Consumes the send queue in this process. `worker.close()` lets running sends finish. */
export function createSendWorker(options: CreateSendWorkerOptions): Worker {
  const { logger } = options;
  const worker = new Worker(
    SMS_SEND_QUEUE_NAME,
    async (job: Job) => {
      if (job.name !== SEND_MESSAGE_JOB) throw new UnrecoverableError(`unknown sms job "${job.name}"`);
      return handleSendMessageJob(job, options.deps);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency },
  );
  worker.on('failed', (job, error) => {
    const customerId = (job?.data as { customerId?: unknown } | undefined)?.customerId;
    const willRetry = job !== undefined && error.name !== 'UnrecoverableError' && job.attemptsMade < (job.opts.attempts ?? 1);
    logger.warn(
      { jobId: job?.id, customer_id: customerId, attemptsMade: job?.attemptsMade, willRetry, err: error, counter: willRetry ? 'sms_send_retry_total' : 'sms_send_failed_total' },
      willRetry ? 'sms send failed, will retry' : 'sms send failed for good',
    );
  });
  worker.on('error', (error) => logger.error({ err: error }, 'sms send worker error'));
  return worker;
}

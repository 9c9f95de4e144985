import { createQueue, exponentialRetry } from '@neurosphere/jobs';
import type { Queue } from 'bullmq';
import type { RedisClient } from '@neurosphere/http';

/** The sms service's one queue (outbound sends). */
export const SMS_SEND_QUEUE_NAME = 'sms-send';

export interface SendRetryPolicy {
  /** Attempts in all (first try included). */
  attempts: number;
  /** First backoff delay; it doubles each retry (2 s, 4 s, ... ≈ 4 min over 8 attempts). */
  backoffDelayMs: number;
}

export const DEFAULT_SEND_RETRY_POLICY: SendRetryPolicy = { attempts: 8, backoffDelayMs: 2_000 };

export interface CreateSendQueueOptions {
  connection: RedisClient;
  /** BullMQ key prefix; tests and benchmarks pass a unique one. Default "bull". */
  prefix?: string;
  retry?: SendRetryPolicy;
}

/** The producer side of the send queue; `sendQueueOf` (send-message-job.ts) is what the HTTP side uses. */
export function createSendQueue(options: CreateSendQueueOptions): Queue {
  const retry = options.retry ?? DEFAULT_SEND_RETRY_POLICY;
  return createQueue(SMS_SEND_QUEUE_NAME, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: exponentialRetry(retry.attempts, retry.backoffDelayMs),
  });
}

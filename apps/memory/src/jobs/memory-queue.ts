import { createQueue, exponentialRetry } from '@neurosphere/jobs';
import type { Queue } from 'bullmq';
import type { RedisClient } from '@neurosphere/http';

/** The memory service's one queue; its jobs are told apart by job name. */
export const MEMORY_QUEUE_NAME = 'memory';

export interface CreateMemoryQueueOptions {
  connection: RedisClient;
  /** BullMQ key prefix (MEMORY_QUEUE_PREFIX); tests pass a unique one per run. */
  prefix?: string;
  /** Attempts per job before it stays failed (SUMMARIZE_MAX_ATTEMPTS). */
  attempts: number;
  /** First retry delay; doubles on each retry (SUMMARIZE_BACKOFF_MS). */
  backoffMs: number;
}

/** Completed jobs are kept a day (repeat posts are answered from the database anyway). */
export const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
/** Failed jobs are kept two weeks for inspection through GET /v2/jobs. */
export const KEEP_FAILED = { age: 14 * 24 * 3600, count: 10_000 };

/**
 * The producer side of the memory queue (the HTTP app). Every job gets exponential backoff and
 * bounded retention, so the per-tenant status endpoint scans a bounded set.
 */
export function createMemoryQueue(options: CreateMemoryQueueOptions): Queue {
  return createQueue(MEMORY_QUEUE_NAME, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: {
      ...exponentialRetry(options.attempts, options.backoffMs),
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    },
  });
}

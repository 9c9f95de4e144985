import { createQueue, enqueue, exponentialRetry } from '@neurosphere/jobs';
import type { JobDefinition, PayloadSchema } from '@neurosphere/jobs';
import type { Queue } from 'bullmq';
import type { RedisClient } from '@neurosphere/http';
import type { z } from 'zod';
import { withTimeout } from '../lib/timeout';

/** The orchestrator's one queue; jobs are told apart by name. */
export const ORCHESTRATOR_QUEUE_NAME = 'orchestrator';

export interface CreateOrchestratorQueueOptions {
  /** The call path's connection: commands fail fast rather than wait through a reconnect. */
  connection: RedisClient;
  /** BullMQ key prefix (ORCHESTRATOR_QUEUE_PREFIX); tests pass a unique one per run. */
  prefix?: string;
  /** Attempts of a transcript retry (TRANSCRIPT_RETRY_ATTEMPTS). */
  attempts: number;
  /**
   * Wait before the first try, and first retry delay, doubling each attempt
   * (TRANSCRIPT_RETRY_BACKOFF_MS): memory just failed, so the first try waits too.
   */
  backoffMs: number;
}

/** The producer side of the orchestrator queue (the HTTP app schedules transcript retries on it). */
export function createOrchestratorQueue(options: CreateOrchestratorQueueOptions): Queue {
  return createQueue(ORCHESTRATOR_QUEUE_NAME, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: { ...exponentialRetry(options.attempts, options.backoffMs), delay: options.backoffMs },
  });
}

/** Adds one kind of job to the orchestrator queue (the call path's schedulers: transcript retries, call finishes). */
export function jobScheduler<TSchema extends PayloadSchema>(
  job: JobDefinition<TSchema, unknown, never>,
  options: {
    queue: Queue;
    /** Redis may be the reason things fail: never wait on it for longer than this. */
    timeoutMs: number;
  },
): { schedule(payload: z.input<TSchema>): Promise<void> } {
  return {
    async schedule(payload) {
      await withTimeout(`schedule ${job.name}`, options.timeoutMs, () => enqueue(options.queue, job, payload));
    },
  };
}

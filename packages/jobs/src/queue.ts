import { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { z } from 'zod';
import type { JobDefinition, JobOptions, PayloadSchema } from './define-job';
import type { JobId } from './job-id';
import { withTraceContext } from './job-trace';

export interface CreateQueueOptions {
  connection: Redis | Cluster;
  /** BullMQ key prefix (default "bull"); tests pass a unique one per run. Producer and worker must agree on it. */
  prefix?: string;
  /**
   * This deployment's settings (usually from env) for what job definitions leave out, typically
   * attempts and backoff. A job definition's own `options` win.
   */
  defaultJobOptions?: JobOptions;
}

/** `attempts` in all, retried after `firstDelayMs`, then twice that, and so on: how every queue here retries. */
export function exponentialRetry(attempts: number, firstDelayMs: number): Pick<JobOptions, 'attempts' | 'backoff'> {
  return { attempts, backoff: { type: 'exponential', delay: firstDelayMs } };
}

/** The producer side of a queue. */
export function createQueue(queueName: string, options: CreateQueueOptions): Queue {
  return new Queue(queueName, {
    connection: options.connection,
    prefix: options.prefix,
    ...(options.defaultJobOptions ? { defaultJobOptions: options.defaultJobOptions } : {}),
  });
}

/**
 * Adds the work `payload` names, under the job's deterministic id and with its options, and
 * returns the id. Enqueueing the same work again while BullMQ keeps the job (waiting, active,
 * delayed, or finished and not yet removed by the retention options) is a no-op. A payload that
 * does not parse throws here, in the producer, before anything is queued.
 */
export async function enqueue<TSchema extends PayloadSchema>(
  queue: Queue,
  job: JobDefinition<TSchema, unknown, never>,
  payload: z.input<TSchema>,
): Promise<JobId> {
  if (queue.name !== job.queue) throw new Error(`Job "${job.name}" belongs on queue "${job.queue}", not "${queue.name}"`);
  const data = job.payload.parse(payload);
  const id = job.jobId(data);
  // The trace context rides along (job-trace.ts); the worker removes it before parsing.
  await queue.add(job.name, withTraceContext(data), { ...job.options, jobId: id });
  return id;
}

import { UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Logger } from '@neurosphere/http';
import type { Redis } from 'ioredis';

/** The memory service's one queue; its jobs are told apart by job name. */
export const MEMORY_QUEUE_NAME = 'memory';

/**
 * Runs one job. Throw `UnrecoverableError` for permanent failures (no retry); anything else is
 * retried with the job's backoff. Payloads carry ids (customerId, callId), and handlers re-read state.
 */
export type JobHandler = (job: Job) => Promise<unknown>;

/** Job name → handler. */
export type JobHandlers = Readonly<Record<string, JobHandler>>;

export interface CreateMemoryWorkerOptions {
  /** An ioredis client created with `maxRetriesPerRequest: null` (BullMQ requires it for workers). */
  connection: Redis;
  handlers: JobHandlers;
  logger: Logger;
  /** BullMQ key prefix; tests pass a unique one per run. Default "bull". */
  prefix?: string;
  concurrency?: number;
}

/** Starts consuming the memory queue, dispatching each job to the handler registered for its name. */
export function createMemoryWorker(options: CreateMemoryWorkerOptions): Worker {
  const { handlers, logger } = options;
  const worker = new Worker(
    MEMORY_QUEUE_NAME,
    async (job: Job) => {
      const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
      // A job nobody handles would fail the same way on every retry.
      if (!handler) throw new UnrecoverableError(`No handler registered for memory job "${job.name}"`);
      return handler(job);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency ?? 5 },
  );
  worker.on('failed', (job, error) => {
    logger.warn({ err: error, jobId: job?.id, jobName: job?.name, attemptsMade: job?.attemptsMade }, 'memory job failed');
  });
  worker.on('error', (error) => logger.error({ err: error }, 'memory worker error'));
  return worker;
}

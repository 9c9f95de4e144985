import { UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Logger } from '@neurosphere/http';
import type { Redis } from 'ioredis';

/** The memory service's one queue; its jobs are told apart by job name. */
export const MEMORY_QUEUE_NAME = 'memory';

/**
 * Runs one job. Throw `UnrecoverableError` for permanent failures (no retry); anything else is
 * retried with the job's backoff. Payloads carry ids (customerId, callSid), and handlers re-read
 * state. `signal` aborts when the worker cancels the job.
 */
export type JobHandler = (job: Job, signal?: AbortSignal) => Promise<unknown>;

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
  /**
   * How long a job stays locked to this worker without a lock renewal (BullMQ default 30 s). A
   * worker that dies mid-job loses the job after this; another worker's stalled-job check then
   * puts it back in the queue.
   */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs of dead workers (BullMQ default 30 s). */
  stalledIntervalMs?: number;
}

/** Starts consuming the memory queue, dispatching each job to the handler registered for its name. */
export function createMemoryWorker(options: CreateMemoryWorkerOptions): Worker {
  const { handlers, logger } = options;
  const worker = new Worker(
    MEMORY_QUEUE_NAME,
    async (job: Job, _token?: string, signal?: AbortSignal) => {
      const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
      // A job nobody handles would fail the same way on every retry.
      if (!handler) throw new UnrecoverableError(`No handler registered for memory job "${job.name}"`);
      return handler(job, signal);
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 5,
      ...(options.lockDurationMs === undefined ? {} : { lockDuration: options.lockDurationMs }),
      ...(options.stalledIntervalMs === undefined ? {} : { stalledInterval: options.stalledIntervalMs }),
    },
  );
  worker.on('failed', (job, error) => {
    logger.warn({ err: error, jobId: job?.id, jobName: job?.name, attemptsMade: job?.attemptsMade }, 'memory job failed');
  });
  worker.on('error', (error) => logger.error({ err: error }, 'memory worker error'));
  return worker;
}

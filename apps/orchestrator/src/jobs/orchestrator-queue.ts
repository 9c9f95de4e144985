import { UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Logger } from '@neurosphere/http';
import type { Redis } from 'ioredis';

/** The orchestrator's one queue; jobs are told apart by name. */
export const ORCHESTRATOR_QUEUE_NAME = 'orchestrator';

/** Runs one job; throw `UnrecoverableError` for permanent failures, anything else retries with backoff. */
export type JobHandler = (job: Job) => Promise<unknown>;
export type JobHandlers = Readonly<Record<string, JobHandler>>;

export interface CreateOrchestratorWorkerOptions {
  /** An ioredis client created with `maxRetriesPerRequest: null` (BullMQ requires it for workers). */
  connection: Redis;
  handlers: JobHandlers;
  logger: Logger;
  /** BullMQ key prefix; tests pass a unique one per run. Default "bull". */
  prefix?: string;
  concurrency?: number;
}

/** Consumes the orchestrator queue (run by main.ts next to the HTTP server). */
export function createOrchestratorWorker(options: CreateOrchestratorWorkerOptions): Worker {
  const { handlers, logger } = options;
  const worker = new Worker(
    ORCHESTRATOR_QUEUE_NAME,
    async (job: Job) => {
      const handler = Object.hasOwn(handlers, job.name) ? handlers[job.name] : undefined;
      if (!handler) throw new UnrecoverableError(`No handler registered for orchestrator job "${job.name}"`);
      return handler(job);
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency ?? 5 },
  );
  worker.on('failed', (job, error) => {
    logger.warn({ err: error, jobId: job?.id, jobName: job?.name, attemptsMade: job?.attemptsMade }, 'orchestrator job failed');
  });
  worker.on('error', (error) => logger.error({ err: error }, 'orchestrator worker error'));
  return worker;
}

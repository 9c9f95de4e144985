import type { Registry } from '@neurosphere/http';
import { createWorker, observeQueueDepth, observeWorker } from '@neurosphere/jobs';
import type { CreateWorkerOptions, JobDeps } from '@neurosphere/jobs';
import type { Queue, Worker } from 'bullmq';
import { MEMORY_QUEUE_NAME } from './memory-queue';
import { summarizeCallJob } from './summarize-call-job';

/** Every job the memory worker runs: one entry per job definition under src/jobs/. */
export const memoryJobs = [summarizeCallJob] as const;

/** What the memory jobs' handlers need from the worker process. */
export type MemoryJobDeps = JobDeps<typeof memoryJobs>;

/** Starts consuming the memory queue (src/worker.ts; tests start one in-process). */
export function createMemoryWorker(options: CreateWorkerOptions<MemoryJobDeps>): Worker {
  return createWorker(MEMORY_QUEUE_NAME, memoryJobs, options);
}

/** The worker's own metrics (src/worker.ts serves them on METRICS_PORT): its jobs' latency and its queue's depth. */
export function observeMemoryWorker(options: { registry: Registry; worker: Worker; queue: Queue }): void {
  observeQueueDepth(options.registry, [options.queue]);
  observeWorker(options.registry, options.worker);
}

import { createWorker } from '@neurosphere/jobs';
import type { CreateWorkerOptions, JobDeps } from '@neurosphere/jobs';
import type { Worker } from 'bullmq';
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

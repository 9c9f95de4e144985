import { createWorker } from '@neurosphere/jobs';
import type { CreateWorkerOptions, JobDeps } from '@neurosphere/jobs';
import type { Worker } from 'bullmq';
import { finishCallJob } from './finish-call-job';
import { ORCHESTRATOR_QUEUE_NAME } from './orchestrator-queue';
import { submitTranscriptJob } from './submit-transcript-job';

/** Every job the orchestrator's worker runs: one entry per job definition under src/jobs/. */
export const orchestratorJobs = [submitTranscriptJob, finishCallJob] as const;

/** What the orchestrator jobs' handlers need (the call runtime provides all of it). */
export type OrchestratorJobDeps = JobDeps<typeof orchestratorJobs>;

/** Consumes the orchestrator queue (main.ts runs it next to the HTTP server). */
export function createOrchestratorWorker(options: CreateWorkerOptions<OrchestratorJobDeps>): Worker {
  return createWorker(ORCHESTRATOR_QUEUE_NAME, orchestratorJobs, options);
}

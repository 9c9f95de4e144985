export { defineJob } from './define-job';
export type { DefineJobOptions, FailureCounters, JobContext, JobDefinition, JobOptions, PayloadSchema, TenantPayload } from './define-job';
export { jobId, parseJobId } from './job-id';
export type { JobId, JobIdPart } from './job-id';
export { PermanentJobError } from './permanent-job-error';
export { createQueue, enqueue, exponentialRetry } from './queue';
export type { CreateQueueOptions } from './queue';
export { createWorker } from './worker';
export type { AnyJobDefinition, CreateWorkerOptions, JobDeps } from './worker';

import type { Job, JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { JobId } from './job-id';

/** What every job payload carries: the tenant the work belongs to. */
export interface TenantPayload {
  customerId: number;
}

/** A zod schema of a job payload. Its output must have a numeric `customerId`, or `defineJob` does not type-check. */
export type PayloadSchema = z.ZodType<TenantPayload, z.ZodTypeDef, unknown>;

/** The BullMQ options a job definition (or a queue's `defaultJobOptions`) may set. The id is never one of them. */
export type JobOptions = Pick<JobsOptions, 'attempts' | 'backoff' | 'delay' | 'removeOnComplete' | 'removeOnFail'>;

/** Names of the log-based counters a failure of this job is counted in (the `counter` field of the worker's failure line). */
export interface FailureCounters {
  /** The attempt failed and the job will run again. */
  retry: string;
  /** The job failed for good (permanent failure, or no attempt left). */
  failed: string;
}

/** What a handler gets besides its payload. */
export interface JobContext<TDeps> {
  job: Job;
  /** The worker's logger bound with jobId, jobName, customer_id and attempt. */
  logger: Logger;
  /** Aborts when the worker cancels the job (pass it to anything slow the handler waits on). */
  signal: AbortSignal;
  /** 1 on the first try. */
  attempt: number;
  /** No retry is left after this attempt: a handler that records failures can record this one as final. */
  isLastAttempt: boolean;
  /** What the process gave `createWorker` (database, clients, ...). */
  deps: TDeps;
}

export interface JobDefinition<TSchema extends PayloadSchema = PayloadSchema, TResult = unknown, TDeps = unknown> {
  /** BullMQ job name: what the worker dispatches on. Never reuse a name for another payload shape. */
  readonly name: string;
  /** The queue it is enqueued on and consumed from. */
  readonly queue: string;
  readonly payload: TSchema;
  readonly options: JobOptions;
  readonly counters?: FailureCounters;
  /** The deterministic id of the work this payload names (built with `jobId`). */
  jobId(payload: z.output<TSchema>): JobId;
  handler(payload: z.output<TSchema>, ctx: JobContext<TDeps>): Promise<TResult>;
}

export interface DefineJobOptions<TSchema extends PayloadSchema, TResult, TDeps> {
  name: string;
  queue: string;
  /** Ids only (tenant, call, message): the handler re-reads state, so a job never acts on a stale snapshot. */
  payload: TSchema;
  jobId: (payload: z.output<TSchema>) => JobId;
  /** Retention and retries of this job; what it leaves out falls back to the queue's `defaultJobOptions`. */
  options?: JobOptions;
  counters?: FailureCounters;
  /**
   * Runs one attempt with the parsed payload. Throw `PermanentJobError` when retrying cannot help;
   * anything else thrown is retried with backoff. Handlers must be idempotent: a job can run again
   * after a worker died mid-job.
   */
  handler: (payload: z.output<TSchema>, ctx: JobContext<TDeps>) => Promise<TResult>;
}

/** Declares a job: its name, queue, payload schema, id, options and handler (see the package README). */
export function defineJob<TSchema extends PayloadSchema, TResult, TDeps = unknown>(
  definition: DefineJobOptions<TSchema, TResult, TDeps>,
): JobDefinition<TSchema, TResult, TDeps> {
  return {
    name: definition.name,
    queue: definition.queue,
    payload: definition.payload,
    options: definition.options ?? {},
    ...(definition.counters ? { counters: definition.counters } : {}),
    jobId: definition.jobId,
    handler: definition.handler,
  };
}

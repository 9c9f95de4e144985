import { UnrecoverableError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ZodError } from 'zod';
import type { JobContext, JobDefinition, PayloadSchema } from './define-job';
import { inJobSpan, splitTraceContext } from './job-trace';
import { PermanentJobError } from './permanent-job-error';

/** Any job definition, whatever its payload, result and dependencies. */
export type AnyJobDefinition = JobDefinition<PayloadSchema, unknown, never>;

type UnionToIntersection<U> = (U extends unknown ? (union: U) => void : never) extends (intersection: infer I) => void ? I : never;

/** What one job's handler needs from the process (nothing: never, so it drops out of the intersection). */
type DepsOfJob<TJob> = TJob extends { handler(payload: never, ctx: JobContext<infer TDeps>): unknown }
  ? unknown extends TDeps
    ? never
    : TDeps
  : never;

/** What the jobs' handlers need from the process, all of them together (unknown when none needs anything). */
export type JobDeps<TJobs extends readonly AnyJobDefinition[]> = UnionToIntersection<DepsOfJob<TJobs[number]>>;

interface WorkerSettings {
  /** An ioredis client created with `maxRetriesPerRequest: null` (BullMQ requires it for workers). */
  connection: Redis | Cluster;
  /** Failures are logged here once each; handlers get a child of it. */
  logger: Logger;
  /** BullMQ key prefix (default "bull"); the producer's must be the same. */
  prefix?: string;
  /** Jobs this process runs at once (default 5). */
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

export type CreateWorkerOptions<TDeps> = WorkerSettings & (unknown extends TDeps ? { deps?: undefined } : { deps: TDeps });

/**
 * Consumes `queueName`, running each job with the definition of its name. A job no definition
 * names, and a payload that does not parse, fail at once (they would fail the same way on every
 * retry). Each failure is logged once, with `willRetry` and the job's failure counter.
 * `worker.close()` lets the jobs in progress finish.
 */
export function createWorker<const TJobs extends readonly AnyJobDefinition[]>(
  queueName: string,
  jobs: TJobs,
  options: CreateWorkerOptions<JobDeps<TJobs>>,
): Worker {
  const byName = new Map<string, AnyJobDefinition>();
  for (const job of jobs) {
    if (job.queue !== queueName) throw new Error(`Job "${job.name}" belongs on queue "${job.queue}", not "${queueName}"`);
    if (byName.has(job.name)) throw new Error(`Two job definitions are named "${job.name}" on queue "${queueName}"`);
    byName.set(job.name, job);
  }
  const { logger } = options;
  // Checked where it matters, in createWorker's signature: deps has what every job's handler needs.
  const deps = options.deps as never;

  const worker = new Worker(
    queueName,
    // Three parameters: BullMQ passes the abort signal only to a processor that declares it.
    async (job: Job, _token?: string, signal?: AbortSignal) => {
      const { payload, parent } = splitTraceContext(job.data);
      const attempt = job.attemptsMade + 1;
      const attributes = { 'messaging.message.id': job.id ?? '', 'neurosphere.job.attempt': attempt };
      return inJobSpan(parent, queueName, job.name, attributes, async () => {
        const definition = byName.get(job.name);
        if (!definition) throw new PermanentJobError(`No handler registered for ${queueName} job "${job.name}"`);
        const parsed = definition.payload.safeParse(payload);
        if (!parsed.success) throw new PermanentJobError(`Malformed ${job.name} payload: ${describeIssues(parsed.error)}`);
        return definition.handler(parsed.data, {
          job,
          logger: logger.child({ jobId: job.id, jobName: job.name, customer_id: parsed.data.customerId, attempt }),
          signal: signal ?? new AbortController().signal,
          attempt,
          isLastAttempt: attempt >= (job.opts.attempts ?? 1),
          deps,
        });
      });
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
    // BullMQ has already counted this attempt (attemptsMade) when it emits "failed".
    const permanent = error instanceof UnrecoverableError || error.name === 'UnrecoverableError';
    const willRetry = job !== undefined && !permanent && job.attemptsMade < (job.opts.attempts ?? 1);
    const counter = job ? byName.get(job.name)?.counters?.[willRetry ? 'retry' : 'failed'] : undefined;
    logger.warn(
      {
        err: error,
        jobId: job?.id,
        jobName: job?.name,
        customer_id: customerIdOf(job?.data),
        attemptsMade: job?.attemptsMade,
        willRetry,
        ...(counter ? { counter } : {}),
      },
      `${job?.name ?? queueName} job failed${willRetry ? ', will retry' : ' for good'}`,
    );
  });
  worker.on('error', (error) => logger.error({ err: error, queue: queueName }, `${queueName} worker error`));
  return worker;
}

function describeIssues(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ');
}

function customerIdOf(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as { customerId?: unknown }).customerId : undefined;
}

import type { Queue, Worker } from 'bullmq';
import { Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';

/** The job states counted in `queue_jobs`: what waits, runs, waits to retry, and failed for good. */
const COUNTED_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

/**
 * `queue_jobs{queue,state}`: the depth of each queue, read from Redis when Prometheus scrapes (a
 * queue Redis cannot answer for is left out of that scrape rather than failing it). Call once per
 * registry, with every queue the process owns.
 */
export function observeQueueDepth(registry: Registry, queues: readonly Queue[]): void {
  if (registry.getSingleMetric('queue_jobs')) return;
  new Gauge<'queue' | 'state'>({
    name: 'queue_jobs',
    help: 'Jobs in each BullMQ queue by state (waiting, active, delayed, prioritized, failed)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await queue.getJobCounts(...COUNTED_STATES).catch(() => undefined);
          if (!counts) return;
          for (const state of COUNTED_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });
}

/**
 * `queue_job_duration_seconds{queue,job,outcome}` (running time of each attempt) and
 * `queue_job_wait_seconds{queue,job}` (from being queued, or due after a delay, to starting), from
 * the worker's completed and failed events. Labels are job names, never ids or tenants.
 */
export function observeWorker(registry: Registry, worker: Worker): void {
  const histogram = <L extends string>(name: string, help: string, labelNames: L[]) =>
    (registry.getSingleMetric(name) as Histogram<L> | undefined) ??
    new Histogram<L>({ name, help, labelNames, buckets: JOB_BUCKETS, registers: [registry] });
  const duration = histogram('queue_job_duration_seconds', 'Time one attempt of a job ran, by queue, job name and outcome', [
    'queue',
    'job',
    'outcome',
  ]);
  const wait = histogram('queue_job_wait_seconds', 'Time a job waited in its queue before an attempt started', ['queue', 'job']);

  const record = (
    job: { name: string; timestamp: number; processedOn?: number; finishedOn?: number; delay?: number; opts: { delay?: number } },
    outcome: string,
  ) => {
    if (job.processedOn === undefined) return;
    const finishedOn = job.finishedOn ?? Date.now();
    duration.observe({ queue: worker.name, job: job.name, outcome }, Math.max(0, finishedOn - job.processedOn) / 1000);
    const due = job.timestamp + (job.opts.delay ?? 0);
    wait.observe({ queue: worker.name, job: job.name }, Math.max(0, job.processedOn - due) / 1000);
  };
  worker.on('completed', (job) => record(job, 'completed'));
  worker.on('failed', (job) => {
    if (job) record(job, 'failed');
  });
}

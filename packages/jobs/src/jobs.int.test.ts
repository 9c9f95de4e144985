import { randomUUID } from 'node:crypto';
import { loadEnv, url } from '@neurosphere/config';
import { QueueEvents } from 'bullmq';
import type { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { defineJob } from './define-job';
import type { JobContext } from './define-job';
import { jobId } from './job-id';
import { PermanentJobError } from './permanent-job-error';
import { createQueue, enqueue, exponentialRetry } from './queue';
import { observeQueueDepth, observeWorker } from './queue-metrics';
import { createWorker } from './worker';

const { REDIS_URL } = loadEnv(z.object({ REDIS_URL: url }));
const QUEUE = 'kit-test';

/** What the test's jobs record of each attempt. */
interface Seen {
  attempts: Array<{ key: string; attempt: number; isLastAttempt: boolean; suffix: string }>;
  suffix: string;
}

const workPayload = z.object({ customerId: z.number().int().positive(), key: z.string().min(1) }).strict();

/**
 * Fails as the key says: "fail-once" throws on its first attempt, "always-fail" on every one,
 * "permanent" throws PermanentJobError; anything else succeeds at once.
 */
const workJob = defineJob({
  name: 'work',
  queue: QUEUE,
  payload: workPayload,
  jobId: ({ customerId, key }) => jobId('work', customerId, key),
  options: { attempts: 3, backoff: { type: 'fixed', delay: 20 } },
  counters: { retry: 'work_retry_total', failed: 'work_failed_total' },
  handler: async ({ customerId, key }, { attempt, isLastAttempt, logger, deps }: JobContext<Seen>) => {
    deps.attempts.push({ key, attempt, isLastAttempt, suffix: deps.suffix });
    logger.info({ key }, 'working');
    if (key.startsWith('permanent')) throw new PermanentJobError(`cannot work on ${key}`);
    if (key.startsWith('always-fail') || (key.startsWith('fail-once') && attempt === 1)) throw new Error(`attempt ${attempt} failed`);
    return { customerId, key, attempt };
  },
});

/** Polls until `read` returns a value (no fixed sleeps). */
async function eventually<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('job kit against Redis', () => {
  const prefix = `test-jobs-${randomUUID()}`;
  const logLines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
  const seen: Seen = { attempts: [], suffix: randomUUID() };
  let producerConnection: Redis;
  let workerConnection: Redis;
  let queue: Queue;
  let events: QueueEvents;
  let worker: Worker;
  const metrics = new Registry();

  beforeAll(async () => {
    producerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = createQueue(QUEUE, { connection: producerConnection, prefix });
    events = new QueueEvents(QUEUE, { connection: { url: REDIS_URL }, prefix });
    worker = createWorker(QUEUE, [workJob], { connection: workerConnection, prefix, logger, deps: seen });
    observeQueueDepth(metrics, [queue]);
    observeWorker(metrics, worker);
    await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
  });

  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await events.close();
    await Promise.all([producerConnection.quit(), workerConnection.quit()]);
  });

  const attemptsOf = (key: string) => seen.attempts.filter((attempt) => attempt.key === key);
  const finished = async (id: string) => (await queue.getJob(id))!.waitUntilFinished(events, 10_000);
  const failuresOf = (id: string) => logLines.filter((line) => line.jobId === id && line.willRetry !== undefined);

  it('enqueues the same work once, under its deterministic id, with its options', async () => {
    const payload = { customerId: 11, key: `twice:${randomUUID()}` };
    const first = await enqueue(queue, workJob, payload);
    const second = await enqueue(queue, workJob, { ...payload });

    expect(first).toBe(`work:11:${encodeURIComponent(payload.key)}`);
    expect(second).toBe(first);
    await expect(finished(first)).resolves.toEqual({ ...payload, attempt: 1 });
    expect(attemptsOf(payload.key)).toHaveLength(1);
    expect((await queue.getJob(first))?.opts).toEqual(expect.objectContaining({ attempts: 3, backoff: { type: 'fixed', delay: 20 } }));
    // Enqueued again after it completed (still kept): still a no-op.
    await enqueue(queue, workJob, payload);
    expect(await (await queue.getJob(first))?.getState()).toBe('completed');
    expect(attemptsOf(payload.key)).toHaveLength(1);
  });

  it("takes what a definition leaves out from the queue's defaults", async () => {
    const tuned = createQueue('kit-test-tuned', {
      connection: producerConnection,
      prefix,
      defaultJobOptions: { ...exponentialRetry(5, 1_000), removeOnFail: true },
    });
    try {
      const tunedJob = defineJob({ ...workJob, queue: 'kit-test-tuned', options: { attempts: 2 } });
      const id = await enqueue(tuned, tunedJob, { customerId: 19, key: 'tuned' });
      expect((await tuned.getJob(id))?.opts).toEqual(
        expect.objectContaining({ attempts: 2, backoff: { type: 'exponential', delay: 1_000 }, removeOnFail: true }),
      );
    } finally {
      await tuned.obliterate({ force: true });
      await tuned.close();
    }
  });

  it('refuses in the producer a payload that does not parse, and a job of another queue', async () => {
    const before = await queue.count();
    await expect(enqueue(queue, workJob, { customerId: 0, key: 'x' })).rejects.toThrow('customerId');
    const elsewhere = defineJob({ ...workJob, queue: 'another-queue' });
    await expect(enqueue(queue, elsewhere, { customerId: 1, key: 'x' })).rejects.toThrow(
      'Job "work" belongs on queue "another-queue", not "kit-test"',
    );
    expect(() => createWorker(QUEUE, [elsewhere], { connection: workerConnection, logger, deps: seen })).toThrow(
      'belongs on queue "another-queue"',
    );
    expect(await queue.count()).toBe(before);
  });

  it('fails a payload that does not parse at once, as a permanent failure', async () => {
    const job = await queue.add('work', { customerId: 'twelve', key: 'x' }, { attempts: 3, jobId: jobId('work', 12, randomUUID()) });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(
      'Malformed work payload: customerId Expected number, received string',
    );
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    expect(seen.attempts.filter((attempt) => attempt.key === 'x')).toEqual([]);
  });

  it('fails a job no definition names at once, as a permanent failure', async () => {
    const job = await queue.add('no-such-job', { customerId: 13 }, { attempts: 3, jobId: jobId('no-such-job', 13, randomUUID()) });
    await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow('No handler registered for kit-test job "no-such-job"');
    expect((await queue.getJob(job.id!))?.attemptsMade).toBe(1);
    const [failure] = await eventually(() => (failuresOf(job.id!).length ? failuresOf(job.id!) : undefined));
    expect(failure).toEqual(
      expect.objectContaining({ jobName: 'no-such-job', customer_id: 13, willRetry: false, msg: 'no-such-job job failed for good' }),
    );
  });

  it('retries a transient failure with backoff, then succeeds', async () => {
    const key = `fail-once-${randomUUID()}`;
    const id = await enqueue(queue, workJob, { customerId: 14, key });
    await expect(finished(id)).resolves.toEqual({ customerId: 14, key, attempt: 2 });
    expect(attemptsOf(key)).toEqual([
      { key, attempt: 1, isLastAttempt: false, suffix: seen.suffix },
      { key, attempt: 2, isLastAttempt: false, suffix: seen.suffix },
    ]);
    expect(failuresOf(id)).toEqual([
      expect.objectContaining({
        level: 40,
        customer_id: 14,
        attemptsMade: 1,
        willRetry: true,
        counter: 'work_retry_total',
        msg: 'work job failed, will retry',
      }),
    ]);
  });

  it('stops at the last attempt, and logs each failure once with willRetry and its counter', async () => {
    const key = `always-fail-${randomUUID()}`;
    const id = await enqueue(queue, workJob, { customerId: 15, key });
    await expect(finished(id)).rejects.toThrow('attempt 3 failed');
    expect(attemptsOf(key).map(({ attempt, isLastAttempt }) => ({ attempt, isLastAttempt }))).toEqual([
      { attempt: 1, isLastAttempt: false },
      { attempt: 2, isLastAttempt: false },
      { attempt: 3, isLastAttempt: true },
    ]);
    const failures = await eventually(() => (failuresOf(id).length === 3 ? failuresOf(id) : undefined));
    expect(failures.map(({ willRetry, counter, attemptsMade }) => ({ willRetry, counter, attemptsMade }))).toEqual([
      { willRetry: true, counter: 'work_retry_total', attemptsMade: 1 },
      { willRetry: true, counter: 'work_retry_total', attemptsMade: 2 },
      { willRetry: false, counter: 'work_failed_total', attemptsMade: 3 },
    ]);
  });

  it('stops at once on PermanentJobError, keeping its reason', async () => {
    const key = `permanent-${randomUUID()}`;
    const id = await enqueue(queue, workJob, { customerId: 16, key });
    await expect(finished(id)).rejects.toThrow(`cannot work on ${key}`);
    expect(attemptsOf(key)).toHaveLength(1);
    const [failure] = await eventually(() => (failuresOf(id).length ? failuresOf(id) : undefined));
    expect(failure).toEqual(
      expect.objectContaining({
        willRetry: false,
        counter: 'work_failed_total',
        err: expect.objectContaining({ type: 'PermanentJobError' }),
      }),
    );
  });

  it("binds the handler's logger to the job id, name, tenant and attempt", async () => {
    const key = `logged-${randomUUID()}`;
    const id = await enqueue(queue, workJob, { customerId: 17, key });
    await finished(id);
    expect(logLines.filter((line) => line.msg === 'working' && line.key === key)).toEqual([
      expect.objectContaining({ jobId: id, jobName: 'work', customer_id: 17, attempt: 1 }),
    ]);
  });

  it('relies on the id rule of the installed BullMQ that jobId follows', async () => {
    // If an upgrade changes the rule, this fails: revisit jobId (see its comment) before anything else.
    await expect(queue.add('work', { customerId: 1, key: 'x' }, { jobId: 'work:1' })).rejects.toThrow('Custom Id cannot contain :');
    await expect(queue.add('work', { customerId: 1, key: 'x' }, { jobId: '12' })).rejects.toThrow('Custom Id cannot be integers');
    const id = await enqueue(queue, workJob, { customerId: 18, key: `a:b:c:${randomUUID()}` });
    await expect(finished(id)).resolves.toEqual(expect.objectContaining({ customerId: 18 }));
  });

  it('exposes queue depth and job latency for Prometheus, by job name only', async () => {
    const delayed = await queue.add('work', { customerId: 20, key: 'later' }, { delay: 60_000, jobId: jobId('work', 20, randomUUID()) });
    const key = `timed-${randomUUID()}`;
    await finished(await enqueue(queue, workJob, { customerId: 21, key }));
    const text = await eventually(async () => {
      const scraped = await metrics.metrics();
      return /queue_job_duration_seconds_count\{queue="kit-test",job="work",outcome="completed"\} [1-9]/.test(scraped)
        ? scraped
        : undefined;
    });
    expect(text).toMatch(/queue_job_duration_seconds_count\{queue="kit-test",job="work",outcome="failed"\} [1-9]/);
    expect(text).toMatch(/queue_job_wait_seconds_count\{queue="kit-test",job="work"\} [1-9]/);
    expect(text).toContain('queue_jobs{queue="kit-test",state="delayed"} 1');
    expect(text).toMatch(/queue_jobs\{queue="kit-test",state="failed"\} [1-9]/);
    expect(text).not.toContain(key);
    await delayed.remove();
  });
});

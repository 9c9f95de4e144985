import { randomUUID } from 'node:crypto';
import { loadEnv, url } from '@neurosphere/config';
import { createLogger } from '@neurosphere/http';
import { Queue, QueueEvents } from 'bullmq';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { createMemoryWorker, MEMORY_QUEUE_NAME } from './memory-worker';

const { REDIS_URL } = loadEnv(z.object({ REDIS_URL: url }));

describe('memory worker', () => {
  // A prefix per run keeps parallel runs and other helpers' queues apart.
  const prefix = `test-memory-${randomUUID()}`;
  let connection: Redis;
  let queue: Queue;
  let events: QueueEvents;
  let worker: Worker;

  beforeAll(async () => {
    connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    queue = new Queue(MEMORY_QUEUE_NAME, { connection, prefix });
    events = new QueueEvents(MEMORY_QUEUE_NAME, { connection: { url: REDIS_URL }, prefix });
    worker = createMemoryWorker({
      connection,
      prefix,
      logger: createLogger({ service: 'memory-worker-test', level: 'silent' }),
      handlers: { 'echo-customer': async (job) => ({ customerId: (job.data as { customerId: number }).customerId }) },
    });
    await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
  });

  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await events.close();
    await connection.quit();
  });

  it('runs the handler registered for the job name', async () => {
    const job = await queue.add('echo-customer', { customerId: 5 });
    await expect(job.waitUntilFinished(events)).resolves.toEqual({ customerId: 5 });
  });

  it('fails a job without a handler once, without retrying', async () => {
    const job = await queue.add('no-such-job', { customerId: 5 }, { attempts: 3 });
    await expect(job.waitUntilFinished(events)).rejects.toThrow('No handler registered for memory job "no-such-job"');
    const failed = await queue.getJob(job.id!);
    expect(failed?.attemptsMade).toBe(1);
  });
});

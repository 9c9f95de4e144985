/**
 * The bare baseline of the worker benchmark (bench/worker-throughput.ts starts it as a child): a
 * BullMQ worker on the memory queue's name that completes every job at once, with the same Redis,
 * connection options and concurrency as the memory worker. Its jobs/s is what BullMQ and Redis
 * allow on this machine before any work is done.
 */
// BullMQ itself, not the job kit (@neurosphere/jobs): the baseline is the queue's own cost.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

const redisUrl = process.env.REDIS_URL;
const prefix = process.env.BENCH_QUEUE_PREFIX;
const concurrency = Number(process.env.BENCH_WORKER_CONCURRENCY);
if (!redisUrl || !prefix || !Number.isInteger(concurrency) || concurrency <= 0) {
  throw new Error('REDIS_URL, BENCH_QUEUE_PREFIX and BENCH_WORKER_CONCURRENCY are required');
}

const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
const worker = new Worker('memory', async () => ({ outcome: 'done' }), { connection, prefix, concurrency });
process.once('SIGTERM', () => {
  void worker
    .close()
    .then(() => connection.quit())
    .then(() => process.exit(0));
});

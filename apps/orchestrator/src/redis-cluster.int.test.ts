import { randomInt } from 'node:crypto';
import { createLogger, createRedis } from '@neurosphere/http';
import type { RedisClient } from '@neurosphere/http';
import { createQueue, createWorker, defineJob, enqueue, jobId } from '@neurosphere/jobs';
import { startRedisClusterNode } from '@neurosphere/testing';
import type { RedisClusterNode } from '@neurosphere/testing';
import { z } from 'zod';
import { createAudioStore } from './domain/call-runtime/audio-store';

/**
 * The orchestrator on a Redis Cluster (REDIS_CLUSTER=true, docs/architecture.md §7.4), here one
 * node holding every slot: a cluster refuses any command or transaction whose keys hash to
 * different slots, so the audio store's transactions and BullMQ's scripts run only if their keys
 * share a slot (a queue's, through the hash tag in its prefix).
 */
let node: RedisClusterNode;
let redis: RedisClient;
let workerConnection: RedisClient;
const timeoutMs = 5_000;

beforeAll(async () => {
  node = await startRedisClusterNode();
  redis = createRedis({ url: node.url, cluster: true, options: { maxRetriesPerRequest: 1 } });
  workerConnection = createRedis({ url: node.url, cluster: true, options: { maxRetriesPerRequest: null } });
});

afterAll(async () => {
  await Promise.all([redis.quit(), workerConnection.quit()]);
  await node.close();
});

it('is a real cluster: a transaction over two slots is refused', async () => {
  await expect(redis.multi().set('one-key', '1').set('another-key', '2').exec()).rejects.toThrow(/CROSSSLOT/);
});

it('stores, finds and reads synthesized speech with its words', async () => {
  const store = createAudioStore({ redis, ttlSeconds: 60 });
  const entry = { customerId: randomInt(1, 1_000_000), voiceId: 'voice', modelId: 'model', text: 'Hello, how can I help?' };
  const token = await store.store({ ...entry, audio: Buffer.from('mp3 bytes'), timeoutMs });
  expect(await store.findCached({ ...entry, timeoutMs })).toBe(token);
  expect(await store.read({ token, timeoutMs })).toEqual({ audio: Buffer.from('mp3 bytes'), text: entry.text });
});

it('runs a queue of the job kit with a hash tag in its prefix', async () => {
  const prefix = '{orchestrator}';
  const doubleJob = defineJob({
    name: 'double',
    queue: 'cluster-test',
    payload: z.object({ customerId: z.number().int().positive(), n: z.number().int() }).strict(),
    jobId: ({ customerId, n }) => jobId('double', customerId, n),
    handler: async ({ n }) => n * 2,
  });
  const worker = createWorker('cluster-test', [doubleJob], {
    connection: workerConnection,
    prefix,
    logger: createLogger({ service: 'orchestrator-test', level: 'silent' }),
  });
  const queue = createQueue('cluster-test', { connection: redis, prefix });
  try {
    const id = await enqueue(queue, doubleJob, { customerId: randomInt(1, 1_000_000), n: 21 });
    const deadline = Date.now() + 20_000;
    let job = await queue.getJob(id);
    while ((await job?.getState()) !== 'completed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = await queue.getJob(id);
    }
    expect(job?.returnvalue).toBe(42);
  } finally {
    await worker.close();
    await queue.close();
  }
});

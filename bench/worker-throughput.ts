/**
 * Benchmark (not a test): how many process-call jobs per second the memory service's summarization
 * worker finishes, with a model that answers at once, against a bare BullMQ worker in the same run.
 *
 *   pnpm bench worker
 *
 * (`pnpm bench` starts its own PostgreSQL and Redis, migrated, and passes DATABASE_URL,
 * DATABASE_PLATFORM_URL and REDIS_URL; given those, this file also runs on its own.)
 *
 * For each worker concurrency in BENCH_WORKER_CONCURRENCY ("4,32"; 4 is WORKER_CONCURRENCY's
 * default, 32 the obvious setting when the model answers quickly):
 * 1. The memory service runs as a child process (apps/memory/src/main.ts, from source), and
 *    BENCH_WORKER_JOBS (2,000) calls are posted to its real route, POST /v2/process-call, 8 at a
 *    time, each a new caller of one of BENCH_WORKER_TENANTS (10) tenants, with a valid service
 *    token: each stores a pending transcript and enqueues one job. Then the service stops.
 * 2. The worker starts as a child process (apps/memory/src/worker.ts, its database pool
 *    concurrency + 2) against a fake OpenAI on 127.0.0.1 that answers every summarization at once
 *    with one fact. Throughput = jobs / time from the first job taken to the last one completed
 *    (BullMQ's processedOn and finishedOn stamps).
 * 3. Nothing lost or done twice: BullMQ counts every job completed and none failed; the fake model
 *    was asked exactly once per call; the database holds exactly one completed summary, one
 *    memory and one personality metric per call (rows counted). Otherwise the run fails.
 * 4. The bare baseline: the same number of jobs on a queue of the same name, taken by a BullMQ
 *    worker that completes them at once (bench/worker-bare.ts), same concurrency, same method.
 * Goal: at least 200 jobs/s.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { createServiceTokenSigner, generateServiceKeyPair } from '@neurosphere/auth';
import { createDb, withPlatform } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import { freePort, startFakeOpenAI } from '@neurosphere/testing';
import type { ChatRequest } from '@neurosphere/testing';
import { createQueue } from '@neurosphere/jobs';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { publishBenchTemplate } from './lib/bench-template';
import { processCpuMs, startNode, stopChild, waitForHttp } from './lib/child-processes';
import { ratio, reportResults } from './lib/results';
import type { ResultRow } from './lib/results';
import { SERVICE_NODE_FLAGS, SOURCE_NODE_ARGS } from './lib/source-node-args';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required (run it with \`pnpm bench worker\`, or see the top of bench/worker-throughput.ts)`);
  return value;
}
function positiveInt(name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value <= 0 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}`);
  return value;
}

const env = {
  DATABASE_URL: required('DATABASE_URL'),
  DATABASE_PLATFORM_URL: required('DATABASE_PLATFORM_URL'),
  REDIS_URL: required('REDIS_URL'),
  // BullMQ keeps 10,000 completed jobs (KEEP_COMPLETED in apps/memory/src/jobs/memory-queue.ts): the count this bench polls.
  BENCH_WORKER_JOBS: positiveInt('BENCH_WORKER_JOBS', 2_000, 10_000),
  BENCH_WORKER_TENANTS: positiveInt('BENCH_WORKER_TENANTS', 10),
  BENCH_WORKER_CONCURRENCY: (process.env.BENCH_WORKER_CONCURRENCY || '4,32').split(',').map((value) => {
    const concurrency = Number(value.trim());
    if (!Number.isInteger(concurrency) || concurrency <= 0)
      throw new Error('BENCH_WORKER_CONCURRENCY must be a list of whole numbers, e.g. "4,32"');
    return concurrency;
  }),
};

const GOAL_JOBS_PER_SECOND = 200;
/** WORKER_CONCURRENCY's default in apps/memory/src/env.ts. */
const DEFAULT_WORKER_CONCURRENCY = 4;
/**
 * Posts in flight at once: below the service's database pool (DATABASE_POOL_MAX, 10), as the
 * orchestrator's finalize jobs post one call at a time each. More would queue for a connection
 * and, past the transaction's wait limit, be refused: the bench measures the worker, not that.
 */
const POSTS_IN_FLIGHT = 8;
const repoRoot = path.resolve(__dirname, '..');
const runId = randomBytes(4).toString('hex');
const log = (line: string) => console.log(`[bench:worker] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Caller j of a tenant: valid North American numbers, distinct per tenant. */
/**
 * A whole call, long enough (three caller turns, over 40 caller words) that memory scores the
 * caller's personality: short calls and voicemail are summarized without it.
 */
const callTranscript = (index: number) => [
  { role: 'agent', text: 'Thanks for calling, how can I help?' },
  { role: 'caller', text: `Hi, I would like to renew my policy before it runs out at the end of the month (call ${index}).` },
  { role: 'agent', text: 'Happy to help with that. Has anything changed since last year, a new car or a new driver?' },
  { role: 'caller', text: 'No changes to the cars, but my daughter got her license in the spring and drives the older one.' },
  { role: 'agent', text: 'Thanks, I will note her as a new driver. Someone will call you back with the renewal quote.' },
  { role: 'caller', text: 'Great, afternoons are best for me, any time after two works. Thank you so much.' },
];
const callerPhone = (j: number) => `+1212555${String(j).padStart(4, '0')}`;

/**
 * The fake model's answer for a summarization request: the structured output the request's JSON
 * schema asks for (template fields null, every personality scale 50), with one fact, so every
 * call adds exactly one memory.
 */
function summaryFor(request: ChatRequest): unknown {
  const schema = request.response_format?.json_schema?.schema as
    { properties?: { variables?: { properties?: object }; personality?: { anyOf?: { properties?: object }[] } } } | undefined;
  const nulls = (properties: object | undefined, value: unknown) =>
    Object.fromEntries(Object.keys(properties ?? {}).map((key) => [key, value]));
  // Personality is asked only of calls long enough to judge, as a nullable object (anyOf object, null).
  const personality = schema?.properties?.personality?.anyOf?.find((variant) => variant.properties)?.properties;
  return {
    summary: 'The caller asked about renewing a policy; the agent promised a callback.',
    key_topics: ['renewal'],
    caller_name: null,
    facts: ['Prefers afternoon calls.'],
    // The summarizer answers profile changes (memory's build-extraction-schema), not a fresh profile.
    changes: [],
    variables: nulls(schema?.properties?.variables?.properties, null),
    ...(personality ? { personality: nulls(personality, 50) } : {}),
  };
}

interface Drain {
  seconds: number;
  jobsPerSecond: number;
  completed: number;
  failed: number;
}

/**
 * Waits until `total` jobs of `queue` are completed or failed, and times them by BullMQ's own
 * stamps: from the first job taken (processedOn) to the last one finished (finishedOn). `onStart`
 * runs when the first job is seen taken.
 */
async function timeDrain(queue: Queue, total: number, timeoutMs: number, onStart: () => void = () => {}): Promise<Drain> {
  let started = false;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('active', 'completed', 'failed');
    const finished = (counts.completed ?? 0) + (counts.failed ?? 0);
    if (!started && (counts.active ?? 0) + finished > 0) {
      started = true;
      onStart();
    }
    if (finished >= total) {
      const jobs = await queue.getJobs(['completed', 'failed'], 0, total - 1);
      const firstTaken = Math.min(...jobs.map((job) => job.processedOn ?? Number.POSITIVE_INFINITY));
      const lastFinished = Math.max(...jobs.map((job) => job.finishedOn ?? 0));
      const seconds = Math.max(lastFinished - firstTaken, 1) / 1000;
      return { seconds, jobsPerSecond: total / seconds, completed: counts.completed ?? 0, failed: counts.failed ?? 0 };
    }
    if (Date.now() > deadline) throw new Error(`timed out: ${finished} of ${total} jobs finished after ${timeoutMs / 1000} s`);
    await sleep(20);
  }
}

async function main(): Promise<void> {
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL, poolMax: 2 });
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  let modelRequests = 0;
  const fakeOpenAI = await startFakeOpenAI((request) => {
    modelRequests += 1;
    return { json: summaryFor(request) };
  });
  const memoryKey = await generateServiceKeyPair(`memory-bench-${runId}`);
  const orchestratorKey = await generateServiceKeyPair(`orchestrator-bench-${runId}`);
  const signer = createServiceTokenSigner({ issuer: 'orchestrator', privateJwk: orchestratorKey.privateJwk });

  // One template and the tenants pinned to it, as onboarding leaves them.
  const industry = `bench-worker-${runId}`;
  await withPlatform(platformDb, { actor: 'bench', action: 'bench.worker.template' }, (tx) =>
    publishBenchTemplate(tx, industry, [
      { key: 'city', label: 'City', type: 'string', hint: 'Where the caller lives.' },
      { key: 'policies', label: 'Policies', type: 'string[]', hint: 'Policy types held.' },
    ]),
  );
  const tenants: number[] = [];
  for (let index = 0; index < env.BENCH_WORKER_TENANTS; index++) {
    tenants.push((await createTestTenant(platformDb, { industry, templateVersion: 1, phoneNumbers: [] })).customerId);
  }

  const serviceEnv = (prefix: string, extra: Record<string, string>): Record<string, string> => ({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: env.DATABASE_URL,
    REDIS_URL: env.REDIS_URL,
    MEMORY_QUEUE_PREFIX: prefix,
    SERVICE_JWT_PRIVATE_JWK: JSON.stringify(memoryKey.privateJwk),
    SERVICE_JWKS: JSON.stringify({ keys: [memoryKey.publicJwk, orchestratorKey.publicJwk] }),
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: fakeOpenAI.baseURL,
    ...extra,
  });
  // BENCH_CHILD_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") go to the service, the worker and the bare worker.
  const extraFlags = (process.env.BENCH_CHILD_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const nodeArgs = (entry: string) => [...SERVICE_NODE_FLAGS, ...extraFlags, ...SOURCE_NODE_ARGS, entry];
  const rows: ResultRow[] = [];
  const integrity: string[] = [];
  const loadBefore = os.loadavg()[0] ?? 0;

  for (const concurrency of env.BENCH_WORKER_CONCURRENCY) {
    const total = env.BENCH_WORKER_JOBS;
    const prefix = `bench-worker-${runId}-${concurrency}`;
    const callSidPrefix = `CAbench${runId}x${concurrency}x`;

    // 1. Post the calls through the real route.
    const port = await freePort();
    const memory = startNode(nodeArgs('src/main.ts'), {
      cwd: path.join(repoRoot, 'apps/memory'),
      env: serviceEnv(prefix, { PORT: String(port) }),
    });
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, memory);
    const tokens = new Map<number, { token: string; signedAt: number }>();
    const tokenFor = async (customerId: number) => {
      const cached = tokens.get(customerId);
      if (cached && Date.now() - cached.signedAt < 20_000) return cached.token;
      const token = await signer.sign({ audience: 'memory', customerId, ttlSeconds: 60 });
      tokens.set(customerId, { token, signedAt: Date.now() });
      return token;
    };
    let next = 0;
    const postStart = performance.now();
    await Promise.all(
      Array.from({ length: POSTS_IN_FLIGHT }, async () => {
        while (next < total) {
          const index = next++;
          const customerId = tenants[index % tenants.length]!;
          const userId = callerPhone(Math.floor(index / tenants.length));
          const response = await fetch(`http://127.0.0.1:${port}/v2/process-call`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(customerId)}` },
            body: JSON.stringify({
              customer_id: customerId,
              user_id: userId,
              thread_id: `customer_${customerId}_user_${userId.slice(1)}`,
              call_sid: `${callSidPrefix}${index}`,
              conversation_history: callTranscript(index),
            }),
          });
          if (response.status !== 202) throw new Error(`POST /v2/process-call answered ${response.status}: ${await response.text()}`);
        }
      }),
    );
    const postSeconds = (performance.now() - postStart) / 1000;
    await stopChild(memory);
    log(`concurrency ${concurrency}: ${total} calls posted in ${postSeconds.toFixed(1)} s (${(total / postSeconds).toFixed(0)}/s)`);

    // 2. Drain them with the real worker.
    const queue = createQueue('memory', { connection: redis, prefix });
    const modelRequestsBefore = modelRequests;
    const worker = startNode(nodeArgs('src/worker.ts'), {
      cwd: path.join(repoRoot, 'apps/memory'),
      env: serviceEnv(prefix, { WORKER_CONCURRENCY: String(concurrency), DATABASE_POOL_MAX: String(concurrency + 2) }),
    });
    // The worker's CPU from its first job on (start-up, compiling its sources, excluded).
    let cpuBefore = Number.NaN;
    const drained = await timeDrain(queue, total, 600_000, () => (cpuBefore = processCpuMs(worker.pid)));
    const cpuMsPerJob = (processCpuMs(worker.pid) - cpuBefore) / total;
    await stopChild(worker);

    // 3. Nothing lost, nothing done twice.
    const rowsWritten = await withPlatform(platformDb, { actor: 'bench', action: 'bench.worker.verify' }, async (tx) => ({
      summaries: await tx.callSummary.count({ where: { callSid: { startsWith: callSidPrefix }, status: 'completed' } }),
      memories: await tx.memory.count({ where: { sourceCallSid: { startsWith: callSidPrefix } } }),
      metrics: await tx.personalityMetric.count({ where: { callSid: { startsWith: callSidPrefix } } }),
    }));
    const asked = modelRequests - modelRequestsBefore;
    const checks = { 'jobs completed': drained.completed, 'model requests': asked, ...rowsWritten };
    const wrong = Object.entries(checks).filter(([, count]) => count !== total);
    if (drained.failed > 0) wrong.push(['jobs failed', drained.failed]);
    for (const [what, count] of wrong)
      integrity.push(`concurrency ${concurrency}: ${what} ${count}, expected ${what === 'jobs failed' ? 0 : total}`);
    await queue.obliterate({ force: true });
    await queue.close();

    // 4. The bare baseline.
    const barePrefix = `${prefix}-bare`;
    const bareQueue = createQueue('memory', { connection: redis, prefix: barePrefix });
    for (let start = 0; start < total; start += 1_000) {
      await bareQueue.addBulk(
        Array.from({ length: Math.min(1_000, total - start) }, (_, offset) => {
          const index = start + offset;
          const customerId = tenants[index % tenants.length]!;
          return {
            name: 'process-call',
            data: { customerId, callSid: `${callSidPrefix}${index}` },
            opts: { jobId: `process-call:${customerId}:${callSidPrefix}${index}` },
          };
        }),
      );
    }
    const bareWorker = startNode(nodeArgs('worker-bare.ts'), {
      cwd: __dirname,
      env: {
        NODE_ENV: 'production',
        REDIS_URL: env.REDIS_URL,
        BENCH_QUEUE_PREFIX: barePrefix,
        BENCH_WORKER_CONCURRENCY: String(concurrency),
      },
    });
    const bare = await timeDrain(bareQueue, total, 600_000);
    await stopChild(bareWorker);
    await bareQueue.obliterate({ force: true });
    await bareQueue.close();

    log(
      `concurrency ${concurrency}: ${total} jobs in ${drained.seconds.toFixed(2)} s = ${drained.jobsPerSecond.toFixed(0)} jobs/s ` +
        `(worker CPU ${cpuMsPerJob.toFixed(2)} ms/job); bare BullMQ worker ${bare.jobsPerSecond.toFixed(0)} jobs/s; ` +
        `rows: ${JSON.stringify(checks)}`,
    );
    rows.push({
      benchmark: 'worker',
      figure: `process-call jobs summarized, worker concurrency ${concurrency}${concurrency === DEFAULT_WORKER_CONCURRENCY ? ' (default)' : ''}, ${total} jobs`,
      service: `${drained.jobsPerSecond.toFixed(0)} jobs/s`,
      bare: `${bare.jobsPerSecond.toFixed(0)} jobs/s`,
      ratio: ratio(drained.jobsPerSecond, bare.jobsPerSecond),
      target: `>= ${GOAL_JOBS_PER_SECOND} jobs/s`,
      met: drained.jobsPerSecond >= GOAL_JOBS_PER_SECOND,
    });
  }
  rows.push({
    benchmark: 'worker',
    figure: 'jobs lost or done twice (BullMQ counts, model requests, rows per call)',
    service: String(integrity.length),
    target: '0',
    met: integrity.length === 0,
  });

  console.log(
    `\nmachine: ${os.cpus().length} cores, Node ${process.version}; load average ${loadBefore.toFixed(1)} before, ${(os.loadavg()[0] ?? 0).toFixed(1)} after`,
  );
  reportResults(rows);
  await fakeOpenAI.close();
  await redis.quit();
  await platformDb.$disconnect();
  if (integrity.length > 0) throw new Error(`jobs lost or done twice:\n${integrity.join('\n')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

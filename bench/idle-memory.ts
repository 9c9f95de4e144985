/**
 * Benchmark (not a test): resident memory of every process of the platform as production runs
 * it, idle after one call, against the 600 MB budget for all of them together.
 *
 *   pnpm bench idle-memory
 *
 * (`pnpm bench` starts its own PostgreSQL and Redis, migrated, and passes DATABASE_URL,
 * DATABASE_PLATFORM_URL, DATABASE_OWNER_URL and REDIS_URL; given those, this file also runs on
 * its own.)
 *
 * 1. Builds the production artifacts with the Dockerfile's own build step
 *    (infra/src/build/build-artifacts.ts: compiled JavaScript and production dependencies only)
 *    into a temporary folder, or takes them from BENCH_ARTIFACTS_DIR when that names a folder
 *    `node --import tsx infra/src/cli/build-artifacts.ts --out <dir>` wrote (then nothing is built).
 * 2. Starts the five apps and the memory worker from it with plain node, as the image runs them
 *    (PRODUCTION_ARGS below), on free ports, with the local stack's simulated OpenAI, ElevenLabs
 *    and Twilio (in this process), and one tenant with one number.
 * 3. Places one call through the gateway with the call simulator (apps/gateway/src/cli), the way
 *    Twilio would: greeting, a question, "text me" (the sms service sends a text), "bye"; then
 *    waits until the text is sent and the worker has summarized the call. Every process has then
 *    loaded and run its code paths at least once.
 * 4. Waits BENCH_IDLE_SECONDS (30) and reads each process's resident set size (VmRSS, /proc).
 *    The bare baseline: an Express 5 app answering /healthz (lib/idle-bare-express.cjs), started
 *    with the apps' flags, idle as long.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, withPlatform, withTenant, assignPhoneNumber } from '@neurosphere/db';
import { simulateCall } from '../apps/gateway/src/cli/simulate-call';
import { buildArtifacts, expectedEntries } from '../infra/src/build/build-artifacts';
import { generateByokKeyring } from '../infra/src/stack/byok-keyring';
import { generateSecret } from '../infra/src/stack/dev-secrets';
import { describeProviders, sharedDevEnvironment } from '../infra/src/stack/platform-env';
import { HTTP_SERVICES, KEYED_SERVICE_NAMES, WORKERS } from '../infra/src/stack/service-catalog';
import { generateServiceKeyring } from '../infra/src/stack/service-keys';
import { startSimulatedProviders } from '../infra/src/simulated/simulated-providers';
import { publishBenchTemplate } from './lib/bench-template';
import { freePort } from '@neurosphere/testing';
import { residentBytes, startNode, stopChild, waitForHttp } from './lib/child-processes';
import { ratio, reportResults } from './lib/results';
import type { ResultRow } from './lib/results';
import { SERVICE_NODE_FLAGS } from './lib/source-node-args';

const BUDGET_MB = 600;
const MB = 1024 * 1024;
const log = (line: string) => console.log(`[bench:idle-memory] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * How production starts each process inside its artifact folder: the apps as the Dockerfile's CMD
 * (`node --no-memory-reducer dist/main.js`), the worker as its compose service and Kubernetes
 * Deployment (`node dist/worker.js`).
 */
const PRODUCTION_ARGS = {
  app: [...SERVICE_NODE_FLAGS, 'dist/main.js'],
  worker: (productionEntry: string) => [productionEntry],
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required (run it with \`pnpm bench idle-memory\`, or see the top of bench/idle-memory.ts)`);
  return value;
}

function readSettings() {
  const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS || 30);
  if (!Number.isFinite(idleSeconds) || idleSeconds < 0) throw new Error('BENCH_IDLE_SECONDS must be a number of seconds');
  const artifactsDir = process.env.BENCH_ARTIFACTS_DIR ? path.resolve(process.env.BENCH_ARTIFACTS_DIR) : undefined;
  return {
    idleSeconds,
    artifactsDir,
    databaseUrls: { app: required('DATABASE_URL'), platform: required('DATABASE_PLATFORM_URL'), owner: required('DATABASE_OWNER_URL') },
    redisUrl: required('REDIS_URL'),
  };
}
const settings = readSettings();

/** The artifacts to run from, and how to clean up after: built now unless BENCH_ARTIFACTS_DIR names them. */
async function prepareArtifacts(): Promise<{ dir: string; remove: () => void }> {
  if (settings.artifactsDir) {
    const missing = HTTP_SERVICES.flatMap((service) => expectedEntries(service.app).map((entry) => path.join(service.app, entry))).filter(
      (entry) => !existsSync(path.join(settings.artifactsDir!, entry)),
    );
    if (missing.length > 0)
      throw new Error(
        `BENCH_ARTIFACTS_DIR=${settings.artifactsDir} lacks ${missing.join(', ')}: build it with infra/src/cli/build-artifacts.ts`,
      );
    log(`running the artifacts in ${settings.artifactsDir}`);
    return { dir: settings.artifactsDir, remove: () => {} };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'neurosphere-bench-artifacts-'));
  const started = Date.now();
  await buildArtifacts({ outDir: dir, log: (line) => log(`build: ${line}`) });
  log(`built the production artifacts in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

interface Process {
  name: string;
  child: ChildProcess;
}

async function measure(artifactsDir: string): Promise<void> {
  const { databaseUrls, redisUrl } = settings;
  const runId = randomBytes(4).toString('hex');
  const processes: Process[] = [];
  let bareChild: ChildProcess | undefined;
  const stopAll = () =>
    Promise.all([...processes.map((running) => running.child), ...(bareChild ? [bareChild] : [])].map((child) => stopChild(child)));

  // The local stack's setup: keys for every process, a BYOK keyring, simulated providers.
  const keyring = await generateServiceKeyring(KEYED_SERVICE_NAMES, `bench-${runId}`);
  const twilioAuthToken = generateSecret();
  const providers = await startSimulatedProviders({
    providers: describeProviders({}),
    twilioAuthToken,
  });
  const ports = Object.fromEntries(
    await Promise.all(HTTP_SERVICES.map(async (service) => [service.name, await freePort()] as const)),
  ) as Record<(typeof HTTP_SERVICES)[number]['name'], number>;
  const urlOf = (name: (typeof HTTP_SERVICES)[number]['name']) => `http://127.0.0.1:${ports[name]}`;
  const shared: Record<string, string> = {
    ...sharedDevEnvironment({
      databaseUrls,
      redisUrl,
      keyring,
      byok: generateByokKeyring(`bench-${runId}`),
      ports,
      env: { PUBLIC_BASE_URL: urlOf('gateway') },
    }),
    ...providers.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    // Queues of their own, so nothing else on this Redis is touched.
    MEMORY_QUEUE_PREFIX: `bench-idle-${runId}`,
    ORCHESTRATOR_QUEUE_PREFIX: `bench-idle-${runId}`,
    SMS_QUEUE_PREFIX: `bench-idle-${runId}`,
  };

  // One tenant with one number, onboarded as the platform does.
  const platformDb = createDb({ url: databaseUrls.platform, poolMax: 1 });
  const appDb = createDb({ url: databaseUrls.app, poolMax: 1 });
  const industry = `bench-idle-${runId}`;
  const tenantNumber = `+1201555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  const callerNumber = '+12125550123';
  const customerId = await withPlatform(platformDb, { actor: 'bench', action: 'bench.idle.tenant' }, async (tx) => {
    await publishBenchTemplate(tx, industry);
    const customer = await tx.customer.create({
      data: {
        businessName: `Idle ${runId}`,
        agentName: 'Sam',
        greeting: 'Hello, this is Sam. How can I help?',
        voiceId: 'bench-voice',
        industry,
        templateVersion: 1,
      },
    });
    await assignPhoneNumber(tx, { customerId: customer.id, e164: tenantNumber });
    return customer.id;
  });

  try {
    for (const service of HTTP_SERVICES) {
      const cwd = path.join(artifactsDir, service.app);
      const args = PRODUCTION_ARGS.app;
      const own = Object.fromEntries(service.secrets.map((name) => [name, generateSecret()]));
      const child = startNode(args, {
        cwd,
        env: {
          ...shared,
          ...own,
          PORT: String(ports[service.name]),
          SERVICE_JWT_PRIVATE_JWK: JSON.stringify(keyring.privateKeys[service.name]),
        },
      });
      processes.push({ name: service.name, child });
    }
    for (const worker of WORKERS) {
      const cwd = path.join(artifactsDir, worker.app);
      const child = startNode(PRODUCTION_ARGS.worker(worker.productionEntry), {
        cwd,
        env: { ...shared, SERVICE_JWT_PRIVATE_JWK: JSON.stringify(keyring.privateKeys[worker.name]) },
      });
      processes.push({ name: `${worker.app} ${worker.name}`, child });
    }
    const barePort = await freePort();
    bareChild = startNode([...SERVICE_NODE_FLAGS, path.join(__dirname, 'lib', 'idle-bare-express.cjs')], {
      cwd: __dirname,
      env: { NODE_ENV: 'production', PORT: String(barePort) },
    });
    await Promise.all([
      ...HTTP_SERVICES.map((service) =>
        waitForHttp(`${urlOf(service.name)}/readyz`, processes.find((running) => running.name === service.name)!.child),
      ),
      waitForHttp(`http://127.0.0.1:${barePort}/healthz`, bareChild),
    ]);
    log(`started from the production artifacts: ${processes.map((running) => `${running.name} (pid ${running.child.pid})`).join(', ')}`);

    // One call, as Twilio would place it, until one is logged and summarized: on a busy machine
    // the first call into cold processes can hit the platform's own time limits (the call log's
    // save then answers 503 and Twilio's status callback is not repeated), so up to three.
    let calls = 0;
    let summarizedCall: string | undefined;
    while (!summarizedCall && calls < 3) {
      calls += 1;
      const lines = ['Hello, I have a question about my policy.', 'Please text me the office address.', 'bye'];
      const call = await simulateCall({
        gatewayUrl: urlOf('gateway'),
        publicBaseUrl: urlOf('gateway'),
        authToken: twilioAuthToken,
        to: tenantNumber,
        from: callerNumber,
        nextLine: async () => lines.shift() ?? null,
        onEvent: () => {},
      });
      const status = call.events.find((event) => event.type === 'status');
      if (status?.type !== 'status' || status.httpStatus < 200 || status.httpStatus > 299) {
        log(`call ${calls}: the status callback was not accepted (${JSON.stringify(status)}); calling again`);
        continue;
      }
      // The worker summarizes it once the orchestrator has logged it and posted the transcript.
      const deadline = Date.now() + 120_000;
      while (!summarizedCall && Date.now() < deadline) {
        const summarized = await withTenant(appDb, customerId, (tx) =>
          tx.callSummary.count({ where: { customerId, callSid: call.callSid, status: 'completed' } }),
        );
        if (summarized === 1) summarizedCall = call.callSid;
        else await sleep(250);
      }
    }
    if (!summarizedCall) throw new Error(`no call was logged and summarized in ${calls} attempts`);
    const texts = await withTenant(appDb, customerId, (tx) =>
      tx.smsMessage.count({ where: { customerId, toNumber: callerNumber, status: 'sent' } }),
    );
    log(`${calls} call(s) placed; ${summarizedCall} logged and summarized, ${texts} text(s) sent; idle for ${settings.idleSeconds} s`);
    await sleep(settings.idleSeconds * 1000);

    const bareMb = residentBytes(bareChild.pid) / MB;
    const rows: ResultRow[] = processes.map(({ name, child }) => {
      const mb = residentBytes(child.pid) / MB;
      return {
        benchmark: 'idle-memory',
        figure: `${name} resident memory, idle after ${calls === 1 ? 'one call' : `${calls} calls`} (production build)`,
        service: `${mb.toFixed(0)} MB`,
        bare: `${bareMb.toFixed(0)} MB`,
        ratio: ratio(mb, bareMb),
      };
    });
    const totalMb = processes.reduce((sum, { child }) => sum + residentBytes(child.pid) / MB, 0);
    rows.push({
      benchmark: 'idle-memory',
      figure: `all ${processes.length} processes together (production build)`,
      service: `${totalMb.toFixed(0)} MB`,
      bare: `${(bareMb * processes.length).toFixed(0)} MB`,
      ratio: ratio(totalMb, bareMb * processes.length),
      target: `<= ${BUDGET_MB} MB`,
      met: totalMb <= BUDGET_MB,
    });
    reportResults(rows);
  } finally {
    await stopAll();
    await providers.close();
    await Promise.all([platformDb.$disconnect(), appDb.$disconnect()]);
  }
}

async function main(): Promise<void> {
  const artifacts = await prepareArtifacts();
  try {
    await measure(artifacts.dir);
  } finally {
    artifacts.remove();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

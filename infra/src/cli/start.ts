/**
 * The local stack behind `scripts/start` (which has already installed pnpm, the dependencies and
 * the Prisma client): PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL point elsewhere), dev
 * keys, migrations and seed, then `turbo run dev dev:worker`. Prints a table once every service
 * answers /readyz, and stops everything in order (apps, Redis, PostgreSQL) on Ctrl-C or SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadOrCreateDevByokKeyring } from '../stack/byok-keyring';
import { loadOrCreateDevSecrets } from '../stack/dev-secrets';
import { writeEnvFile } from '../stack/env-file';
import { localPaths, repoRoot, turboBin } from '../stack/paths';
import { databaseUrlsFromEnvironment, describeProviders, localDatabaseUrls, sharedDevEnvironment } from '../stack/platform-env';
import type { DatabaseUrls } from '../stack/platform-env';
import { ensureDatabase, startLocalPostgres } from '../stack/postgres';
import type { LocalPostgres } from '../stack/postgres';
import { isPortFree, isProcessAlive, listDescendants, runCommand, signalProcess, sleep, waitForChildExit, waitForPidExit } from '../stack/processes';
import { findWorkerProcess, probeReadyz, renderStatusTable } from '../stack/readiness';
import type { StatusRow } from '../stack/readiness';
import { startLocalRedis } from '../stack/redis';
import type { LocalRedis } from '../stack/redis';
import { HTTP_SERVICES, KEYED_SERVICE_NAMES, WORKERS } from '../stack/service-catalog';
import { loadOrCreateDevKeyring } from '../stack/service-keys';
import { startLocalMailCatcher } from '../stack/mail-catcher';
import type { LocalMailCatcher } from '../stack/mail-catcher';
import { startSimulatedProviders } from '../simulated/simulated-providers';
import type { SimulatedProviders } from '../simulated/simulated-providers';

const DEV_DATABASE = 'neurosphere';
const READY_TIMEOUT_MS = 180_000;

const log = (line: string) => console.log(`[stack] ${line}`);

let postgres: LocalPostgres | undefined;
let redis: LocalRedis | undefined;
let turbo: ChildProcess | undefined;
let simulatedProviders: SimulatedProviders | undefined;
let mailCatcher: LocalMailCatcher | undefined;
let stopping = false;

function portFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] || fallback);
  if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name} must be a port number`);
  return value;
}

/** `.env` at the repository root overrides defaults; variables already in the environment win over it. */
function loadDotEnv(): void {
  const file = path.join(repoRoot, '.env');
  if (existsSync(file)) {
    process.loadEnvFile(file);
    log('loaded overrides from .env');
  }
}

async function checkAppPortsFree(): Promise<void> {
  const busy: string[] = [];
  for (const service of HTTP_SERVICES) {
    if (!(await isPortFree(service.port))) busy.push(`${service.name} (${service.port})`);
  }
  if (busy.length > 0) {
    throw new Error(`ports already in use: ${busy.join(', ')}. Is another stack running? Stop it first.`);
  }
}

async function prepareDatabase(): Promise<DatabaseUrls> {
  if (process.env.DATABASE_URL) {
    log('DATABASE_URL is set: using that PostgreSQL');
    return databaseUrlsFromEnvironment(process.env);
  }
  const port = portFromEnv('LOCAL_PG_PORT', 5433);
  postgres = await startLocalPostgres({
    baseDir: localPaths.devPostgres,
    port,
    superuser: 'postgres',
    superuserPassword: 'postgres',
    throwaway: false,
    log,
  });
  log(`PostgreSQL 17 running on 127.0.0.1:${port} (data in .local/pg, log ${path.relative(repoRoot, postgres.logFile)})`);
  await ensureDatabase(postgres.superuserUrl('postgres'), DEV_DATABASE);
  return localDatabaseUrls(port, DEV_DATABASE, postgres.superuserUrl(DEV_DATABASE));
}

async function prepareRedis(): Promise<string> {
  if (process.env.REDIS_URL) {
    log('REDIS_URL is set: using that Redis');
    return process.env.REDIS_URL;
  }
  const port = portFromEnv('LOCAL_REDIS_PORT', 6380);
  redis = await startLocalRedis({ dir: localPaths.devRedis, port, persistent: true, log });
  log(`Redis running on 127.0.0.1:${port} (data in .local/redis)`);
  return redis.url;
}

async function pnpmDb(script: 'migrate' | 'seed', env: NodeJS.ProcessEnv): Promise<void> {
  log(`pnpm --filter @neurosphere/db ${script}`);
  const code = await runCommand('pnpm', ['--filter', '@neurosphere/db', script], { cwd: repoRoot, env });
  if (code !== 0) throw new Error(`pnpm --filter @neurosphere/db ${script} failed (exit ${code})`);
}

/**
 * turbo hands every task the same environment, so each process's own private key (and PORT) goes to
 * `.local/env/<service>.env`, which its dev script loads with `--env-file-if-exists`. Returns the
 * processes whose dev script does not load its file yet.
 */
function writeServiceEnvFiles(privateKeys: Record<string, unknown>, devSecrets: Record<string, string>): string[] {
  const notLoading: string[] = [];
  const header = 'Written by scripts/start on every run; do not edit. Holds this service\'s private key: never commit.';
  for (const service of HTTP_SERVICES) {
    // A stand-in is only written when the variable is unset (a set one would win over the file anyway).
    const standIns = service.devStandIns.filter((name) => !process.env[name]);
    const secrets = Object.fromEntries([...service.secrets, ...standIns].map((name) => [name, devSecrets[name]!]));
    writeEnvFile(
      localPaths.serviceEnv,
      service.name,
      { PORT: String(service.port), SERVICE_JWT_PRIVATE_JWK: JSON.stringify(privateKeys[service.name]), ...secrets },
      header,
    );
    if (!devScriptLoadsEnvFile(service.app, 'dev', service.name)) notLoading.push(`apps/${service.app} "dev"`);
  }
  for (const worker of WORKERS) {
    writeEnvFile(localPaths.serviceEnv, worker.name, { SERVICE_JWT_PRIVATE_JWK: JSON.stringify(privateKeys[worker.name]) }, header);
    if (!devScriptLoadsEnvFile(worker.app, worker.devScript, worker.name)) notLoading.push(`apps/${worker.app} "${worker.devScript}"`);
  }
  return notLoading;
}

function devScriptLoadsEnvFile(app: string, script: string, envName: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'apps', app, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return manifest.scripts?.[script]?.includes(`.local/env/${envName}.env`) ?? false;
  } catch {
    return false;
  }
}

async function collectStatus(): Promise<{ rows: StatusRow[]; allReady: boolean }> {
  const rows: StatusRow[] = [];
  let allReady = true;
  for (const service of HTTP_SERVICES) {
    const url = `http://127.0.0.1:${service.port}`;
    const probe = await probeReadyz(url);
    allReady &&= probe.ready;
    rows.push({ service: service.name, address: url, status: probe.ready ? 'ready' : `NOT READY (${probe.detail})` });
  }
  for (const worker of WORKERS) {
    const pid = findWorkerProcess(process.pid, path.join(repoRoot, 'apps', worker.app), worker.entry);
    allReady &&= pid !== undefined;
    rows.push({ service: `${worker.app} ${worker.name}`, address: '(no HTTP; checked by process)', status: pid ? `running (pid ${pid})` : 'NOT RUNNING' });
  }
  return { rows, allReady };
}

function infrastructureRows(urls: DatabaseUrls, redisUrl: string): StatusRow[] {
  const redact = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  return [
    { service: 'postgres', address: redact(urls.app), status: postgres ? `running (pid ${postgres.pid})` : 'external' },
    { service: 'redis', address: redisUrl, status: redis ? `running (pid ${redis.pid})` : 'external' },
    mailCatcher
      ? { service: 'mail catcher', address: mailCatcher.smtpUrl, status: 'running (mails in .local/mail/, links printed here)' }
      : { service: 'mail', address: process.env.SMTP_URL ? '(SMTP_URL)' : (process.env.SMTP_HOST ?? ''), status: 'external' },
  ];
}

async function waitForStack(urls: DatabaseUrls, redisUrl: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let status = await collectStatus();
  while (!status.allReady && Date.now() < deadline && !stopping) {
    await sleep(1000);
    status = await collectStatus();
  }
  if (stopping) return;
  console.log(`\n${renderStatusTable([...status.rows, ...infrastructureRows(urls, redisUrl)])}\n`);
  for (const note of simulatedProviders?.notes ?? []) log(note);
  if (status.allReady) {
    log('all services are ready. Ctrl-C stops everything.');
    return;
  }
  log(`some services are not ready after ${READY_TIMEOUT_MS / 1000} s; the stack keeps running (tsx restarts an app when you save a file). Ctrl-C stops everything.`);
}

async function stopApps(): Promise<void> {
  if (!turbo || turbo.exitCode !== null || turbo.signalCode !== null) return;
  const tree = listDescendants(turbo.pid!);
  // Ctrl-C (or a signal to the whole process group) already reached turbo and the apps, which are
  // shutting down; a second signal would make turbo kill them hard. A signal to this process alone
  // did not reach them: then turbo is asked to stop (its npm wrapper forwards SIGTERM; it ignores
  // a SIGINT that does not come from the terminal).
  if (!(await waitForChildExit(turbo, 10_000))) {
    signalProcess(turbo.pid!, 'SIGTERM');
    if (!(await waitForChildExit(turbo, 20_000))) {
      log('turbo did not stop within 30 s; killing it');
      signalProcess(turbo.pid!, 'SIGKILL');
      await waitForChildExit(turbo, 5_000);
    }
  }
  const survivors = tree.filter(isProcessAlive);
  for (const pid of survivors) signalProcess(pid, 'SIGTERM');
  for (const pid of survivors) {
    if (!(await waitForPidExit(pid, 5_000))) signalProcess(pid, 'SIGKILL');
  }
}

async function shutdown(reason: string, exitCode: number): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined);
  stopping = true;
  log(`stopping (${reason}): apps, then Redis, then PostgreSQL`);
  try {
    await stopApps();
    await simulatedProviders?.close();
    await mailCatcher?.close();
    await redis?.stop();
    await postgres?.stop();
    log('stopped');
  } catch (error) {
    console.error(`[stack] error while stopping: ${(error as Error).message}`);
    exitCode = exitCode || 1;
  }
  process.exit(exitCode);
}

async function main(): Promise<void> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => void shutdown(signal, 0));
  }
  loadDotEnv();
  const providers = describeProviders(process.env);
  for (const note of providers.filter((provider) => provider.mode === 'configured')) log(note.message);
  await checkAppPortsFree();

  const databaseUrls = await prepareDatabase();
  const redisUrl = await prepareRedis();
  const keyring = await loadOrCreateDevKeyring(localPaths.keys, KEYED_SERVICE_NAMES);
  const byok = loadOrCreateDevByokKeyring(localPaths.keys);
  const devSecrets = loadOrCreateDevSecrets(localPaths.keys, HTTP_SERVICES.flatMap((service) => [...service.secrets, ...service.devStandIns]));
  log(`dev service keys, BYOK keyring and dev secrets in .local/keys (${KEYED_SERVICE_NAMES.join(', ')})`);
  for (const service of HTTP_SERVICES) {
    for (const name of service.devStandIns.filter((variable) => !process.env[variable])) {
      log(`${service.name} gets a dev ${name} from .local/keys/dev-secrets.json`);
    }
  }

  // Providers without a key run locally, in this process, so the whole stack works offline; the
  // simulated Twilio shares the gateway's stand-in token so signatures made by `pnpm call` verify.
  simulatedProviders = await startSimulatedProviders({ providers, twilioAuthToken: devSecrets.TWILIO_AUTH_TOKEN ?? '' });
  for (const note of simulatedProviders.notes) log(note);

  // Mail goes to a catcher on 127.0.0.1 unless an SMTP server is configured: each mail lands in
  // .local/mail/ and its links are printed, so invitation and password-reset links can be clicked.
  if (!process.env.SMTP_URL && !process.env.SMTP_HOST) {
    mailCatcher = await startLocalMailCatcher({ dir: localPaths.mail, log: (line) => console.log(`[mail] ${line}`) });
    log(`mail: catcher at ${mailCatcher.smtpUrl}; mails are written to .local/mail/ and their links printed as [mail] lines`);
  }

  const shared = { ...sharedDevEnvironment({ databaseUrls, redisUrl, keyring, byok, env: process.env }), ...simulatedProviders.env, ...mailCatcher?.env };
  // PORT and SERVICE_JWT_PRIVATE_JWK are per process (from .local/env), never shared by all.
  const { PORT: _port, SERVICE_JWT_PRIVATE_JWK: _key, ...inherited } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    ...shared,
    // Workspace packages resolve to their TypeScript sources (the "development" export), so the
    // apps run without building anything first.
    NODE_OPTIONS: [inherited.NODE_OPTIONS, '--conditions=development'].filter(Boolean).join(' '),
    TURBO_TELEMETRY_DISABLED: '1',
  };

  await pnpmDb('migrate', env);
  await pnpmDb('seed', env);
  const notLoading = writeServiceEnvFiles(keyring.privateKeys, devSecrets);
  if (stopping) return;

  log('turbo run dev dev:worker');
  turbo = spawn(turboBin, ['run', 'dev', 'dev:worker', '--concurrency=20'], { cwd: repoRoot, env, stdio: 'inherit' });
  turbo.once('exit', (code, signal) => {
    if (!stopping) void shutdown(`turbo exited with ${signal ?? `code ${code}`}`, 1);
  });
  if (notLoading.length > 0) {
    console.error(
      `[stack] warning: these dev scripts do not load their .local/env/<service>.env (--env-file-if-exists), so they start without their PORT, SERVICE_JWT_PRIVATE_JWK and own secrets: ${notLoading.join(', ')}`,
    );
  }
  await waitForStack(databaseUrls, redisUrl);
}

main().catch((error: unknown) => {
  console.error(`[stack] ${(error as Error).message}`);
  void shutdown('start-up failed', 1);
});

/**
 * The local infrastructure of `turbo dev` (the persistent @neurosphere/infra#dev task; `scripts/start`
 * runs the same `turbo run dev`): PostgreSQL and Redis (unless DATABASE_URL / REDIS_URL point
 * elsewhere), dev keys, simulated providers for those without a key, migrations and seed, then one
 * complete env file per process in `.local/env/`. It then writes `.local/stack.json`, which the
 * apps' dev scripts wait for (infra/src/cli/wait-for-stack.ts) before they start.
 *
 * On Ctrl-C every turbo task gets the signal at once: this one waits for the apps and the worker to
 * let go of Redis and their ports before it stops Redis, then PostgreSQL.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { loadOrCreateDevByokKeyring } from '../stack/byok-keyring';
import { loadOrCreateDevSecrets } from '../stack/dev-secrets';
import { writeEnvFile } from '../stack/env-file';
import { checkAppPortsFree, localServicePorts, portFromEnv } from '../stack/local-ports';
import { localPaths, repoRoot } from '../stack/paths';
import { databaseUrlsFromEnvironment, describeProviders, localDatabaseUrls, sharedDevEnvironment } from '../stack/platform-env';
import type { DatabaseUrls } from '../stack/platform-env';
import { ensureDatabase, startLocalPostgres } from '../stack/postgres';
import type { LocalPostgres } from '../stack/postgres';
import { isPortFree, runCommand, sleep, stopOnSignals } from '../stack/processes';
import { redactRedisUrl, redisClientCount, startLocalRedis } from '../stack/redis';
import type { LocalRedis } from '../stack/redis';
import { HTTP_SERVICES, KEYED_SERVICE_NAMES, WORKERS } from '../stack/service-catalog';
import { loadOrCreateDevKeyring } from '../stack/service-keys';
import { readRunningStack, removeStackState, writeStackState } from '../stack/stack-state';
import { startLocalMailCatcher } from '../stack/mail-catcher';
import type { LocalMailCatcher } from '../stack/mail-catcher';
import { startSimulatedProviders } from '../simulated/simulated-providers';
import type { SimulatedProviders } from '../simulated/simulated-providers';

const DEV_DATABASE = 'neurosphere';
/** How long the apps get to close their connections after Ctrl-C before Redis and PostgreSQL stop. */
const APPS_STOP_TIMEOUT_MS = 20_000;
/** The local Redis's password, kept with the dev secrets so it survives restarts like its data. */
const LOCAL_REDIS_PASSWORD = 'REDIS_PASSWORD';

const log = (line: string) => console.log(`[stack] ${line}`);

type LocalPorts = ReturnType<typeof localServicePorts>;

let postgres: LocalPostgres | undefined;
let redis: LocalRedis | undefined;
let simulatedProviders: SimulatedProviders | undefined;
let mailCatcher: LocalMailCatcher | undefined;
/** Only a stack that wrote the state file removes it (never another one's). */
let wroteState = false;
/** Where each app listens: set once `.env` is loaded (it may move them). */
let ports: LocalPorts | undefined;

/**
 * `.env` at the repository root overrides defaults; variables already in the environment win over
 * it. Returns what it set, which every process's env file repeats (the apps do not read `.env`).
 */
function loadDotEnv(): Record<string, string> {
  const file = path.join(repoRoot, '.env');
  if (!existsSync(file)) return {};
  const fromFile = parseEnv(readFileSync(file, 'utf8'));
  const applied = Object.fromEntries(
    Object.entries(fromFile).filter(([name, value]) => process.env[name] === undefined && value !== undefined),
  ) as Record<string, string>;
  Object.assign(process.env, applied);
  log('loaded overrides from .env');
  return applied;
}

async function prepareDatabase(): Promise<DatabaseUrls> {
  if (process.env.DATABASE_URL) {
    log('DATABASE_URL is set: using that PostgreSQL');
    return databaseUrlsFromEnvironment(process.env);
  }
  const port = portFromEnv(process.env, 'LOCAL_PG_PORT', 5433);
  postgres = await startLocalPostgres({
    baseDir: localPaths.devPostgres,
    port,
    superuser: 'postgres',
    superuserPassword: 'postgres',
    throwaway: false,
    log,
  });
  log(`PostgreSQL 17 running on 127.0.0.1:${port} (data in ${localPaths.devPostgres}, log ${postgres.logFile})`);
  await ensureDatabase(postgres.superuserUrl('postgres'), DEV_DATABASE);
  return localDatabaseUrls(port, DEV_DATABASE, postgres.superuserUrl(DEV_DATABASE));
}

async function prepareRedis(password: string): Promise<string> {
  if (process.env.REDIS_URL) {
    log('REDIS_URL is set: using that Redis');
    return process.env.REDIS_URL;
  }
  const port = portFromEnv(process.env, 'LOCAL_REDIS_PORT', 6380);
  redis = await startLocalRedis({ dir: localPaths.devRedis, port, persistent: true, password, log });
  log(`Redis running on 127.0.0.1:${port} (data in ${localPaths.devRedis})`);
  return redis.url;
}

async function pnpmDb(script: 'migrate' | 'seed', env: NodeJS.ProcessEnv): Promise<void> {
  log(`pnpm --filter @neurosphere/db ${script}`);
  const code = await runCommand('pnpm', ['--silent', '--filter', '@neurosphere/db', script], { cwd: repoRoot, env });
  if (code !== 0) throw new Error(`pnpm --filter @neurosphere/db ${script} failed (exit ${code})`);
}

/**
 * One complete env file per process (`.local/env/<name>.env`, read by its dev script with
 * --env-file), and `shared.env` with what every process shares, for the CLIs of the db package.
 * A variable set in the shell still wins over the file.
 */
function writeEnvFiles(
  ports: LocalPorts,
  shared: Record<string, string>,
  privateKeys: Record<string, unknown>,
  devSecrets: Record<string, string>,
): void {
  const header = 'Written by the dev stack (turbo dev / scripts/start) on every start; do not edit. Holds private keys: never commit.';
  writeEnvFile(localPaths.serviceEnv, 'shared', shared, header);
  for (const service of HTTP_SERVICES) {
    // A stand-in is only written when the variable is unset (a set one would win over the file anyway).
    const standIns = service.devStandIns.filter((name) => !process.env[name]);
    const secrets = Object.fromEntries([...service.secrets, ...standIns].map((name) => [name, devSecrets[name]!]));
    const own = { PORT: String(ports[service.name]), SERVICE_JWT_PRIVATE_JWK: JSON.stringify(privateKeys[service.name]), ...secrets };
    writeEnvFile(localPaths.serviceEnv, service.name, { ...shared, ...own }, header);
  }
  for (const worker of WORKERS) {
    writeEnvFile(
      localPaths.serviceEnv,
      worker.name,
      { ...shared, SERVICE_JWT_PRIVATE_JWK: JSON.stringify(privateKeys[worker.name]) },
      header,
    );
  }
}

/** Resolves once no app listens on its port and no client but this check is connected to Redis. */
async function waitForAppsToStop(ports: LocalPorts): Promise<void> {
  const deadline = Date.now() + APPS_STOP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const listening = [];
    for (const service of HTTP_SERVICES) if (!(await isPortFree(ports[service.name]))) listening.push(service.name);
    const redisClients = redis ? await redisClientCount(redis.url).catch(() => 0) : 0;
    if (listening.length === 0 && redisClients <= 1) return;
    await sleep(200);
  }
  log(`the apps did not stop within ${APPS_STOP_TIMEOUT_MS / 1000} s; stopping Redis and PostgreSQL anyway`);
}

const { shutdown, isStopping } = stopOnSignals({
  log,
  logError: (line) => console.error(`[stack] ${line}`),
  describe: 'waiting for the apps, then Redis, then PostgreSQL',
  stop: async () => {
    if (wroteState) removeStackState(localPaths.stackState);
    if (ports) await waitForAppsToStop(ports);
    await simulatedProviders?.close();
    await mailCatcher?.close();
    await redis?.stop();
    await postgres?.stop();
  },
});

async function main(): Promise<void> {
  const running = readRunningStack(localPaths.stackState);
  if (running) throw new Error(`another dev stack (pid ${running.pid}) is running from ${localPaths.stackState}; stop it first`);
  const dotEnv = loadDotEnv();
  ports = localServicePorts(process.env);
  const appPorts = ports;
  const providers = describeProviders(process.env);
  for (const note of providers.filter((provider) => provider.mode === 'configured')) log(note.message);
  await checkAppPortsFree(appPorts);

  const databaseUrls = await prepareDatabase();
  const devSecrets = loadOrCreateDevSecrets(localPaths.keys, [
    ...HTTP_SERVICES.flatMap((service) => [...service.secrets, ...service.devStandIns]),
    LOCAL_REDIS_PASSWORD,
  ]);
  const redisUrl = await prepareRedis(devSecrets[LOCAL_REDIS_PASSWORD]!);
  const keyring = await loadOrCreateDevKeyring(localPaths.keys, KEYED_SERVICE_NAMES);
  const byok = loadOrCreateDevByokKeyring(localPaths.keys);
  log(`dev service keys, BYOK keyring and dev secrets in ${localPaths.keys}`);

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

  const shared = {
    ...dotEnv,
    ...sharedDevEnvironment({ databaseUrls, redisUrl, keyring, byok, ports: appPorts, env: process.env }),
    ...simulatedProviders.env,
    ...mailCatcher?.env,
  };
  // The files first (the db CLIs read shared.env); the apps wait for the state file below.
  writeEnvFiles(appPorts, shared, keyring.privateKeys, devSecrets);
  const env: NodeJS.ProcessEnv = { ...process.env, ...shared };
  await pnpmDb('migrate', env);
  await pnpmDb('seed', env);
  if (isStopping()) return;

  wroteState = true;
  writeStackState(localPaths.stackState, {
    pid: process.pid,
    postgres: { url: databaseUrls.app.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@'), pid: postgres?.pid },
    redis: { url: redactRedisUrl(redisUrl), pid: redis?.pid },
    ...(mailCatcher ? { mail: { url: mailCatcher.smtpUrl } } : {}),
    notes: simulatedProviders.notes,
  });
  log(`ready: env files in ${localPaths.serviceEnv}; the apps start now. Ctrl-C stops everything.`);
}

main().catch((error: unknown) => {
  console.error(`[stack] ${(error as Error).message}`);
  void shutdown('start-up failed', 1);
});

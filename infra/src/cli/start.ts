/**
 * `scripts/start` (which has already installed pnpm, the dependencies and the Prisma client): runs
 * `turbo run dev`, the same as `turbo dev` or `pnpm dev`, in which the @neurosphere/infra#dev task
 * brings up PostgreSQL, Redis, keys, migrations and seed (infra/src/cli/dev-stack.ts) and every
 * app and the memory worker start once it is ready. Prints a table once every service answers
 * /readyz; Ctrl-C or SIGTERM stops the apps first, then Redis, then PostgreSQL.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkAppPortsFree, localServicePorts, portFromEnv } from '../stack/local-ports';
import { localPaths, repoRoot, turboBin } from '../stack/paths';
import { isProcessAlive, listDescendants, signalProcess, sleep, stopOnSignals, waitForChildExit, waitForPidExit } from '../stack/processes';
import { findWorkerProcess, probeReadyz, renderStatusTable } from '../stack/readiness';
import type { StatusRow } from '../stack/readiness';
import { CONSOLE_DEV_SERVER, HTTP_SERVICES, WORKERS } from '../stack/service-catalog';
import { readRunningStack } from '../stack/stack-state';
import type { StackState } from '../stack/stack-state';

const READY_TIMEOUT_MS = 240_000;

const log = (line: string) => console.log(`[stack] ${line}`);

let turbo: ChildProcess | undefined;

/** `.env` at the repository root may move ports (LOCAL_*_PORT); variables already set win over it. */
function loadDotEnv(): void {
  const file = path.join(repoRoot, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

const ports = () => localServicePorts(process.env);

async function collectStatus(): Promise<{ rows: StatusRow[]; allReady: boolean }> {
  const rows: StatusRow[] = [];
  let allReady = true;
  for (const service of HTTP_SERVICES) {
    const url = `http://127.0.0.1:${ports()[service.name]}`;
    const probe = await probeReadyz(url);
    allReady &&= probe.ready;
    rows.push({ service: service.name, address: url, status: probe.ready ? 'ready' : `NOT READY (${probe.detail})` });
  }
  const consoleUrl = `http://localhost:${portFromEnv(process.env, CONSOLE_DEV_SERVER.portVariable, CONSOLE_DEV_SERVER.port)}`;
  const consoleUp = await fetch(consoleUrl, { signal: AbortSignal.timeout(2000) }).then(
    (response) => response.ok,
    () => false,
  );
  allReady &&= consoleUp;
  rows.push({ service: CONSOLE_DEV_SERVER.name, address: consoleUrl, status: consoleUp ? 'ready (sign in here)' : 'NOT READY' });
  for (const worker of WORKERS) {
    const pid = turbo?.pid ? findWorkerProcess(turbo.pid, path.join(repoRoot, 'apps', worker.app), worker.entry) : undefined;
    allReady &&= pid !== undefined;
    rows.push({
      service: `${worker.app} ${worker.name}`,
      address: '(no HTTP; checked by process)',
      status: pid ? `running (pid ${pid})` : 'NOT RUNNING',
    });
  }
  return { rows, allReady };
}

function infrastructureRows(state: StackState | undefined): StatusRow[] {
  const status = (pid: number | undefined) => (pid ? `running (pid ${pid})` : 'external');
  return [
    { service: 'postgres', address: state?.postgres.url ?? '?', status: state ? status(state.postgres.pid) : 'NOT RUNNING' },
    { service: 'redis', address: state?.redis.url ?? '?', status: state ? status(state.redis.pid) : 'NOT RUNNING' },
    state?.mail
      ? { service: 'mail catcher', address: state.mail.url, status: 'running (mails in .local/mail/, links printed as [mail] lines)' }
      : { service: 'mail', address: process.env.SMTP_URL ? '(SMTP_URL)' : (process.env.SMTP_HOST ?? ''), status: 'external' },
  ];
}

async function waitForStack(): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let status = await collectStatus();
  while (!status.allReady && Date.now() < deadline && !isStopping()) {
    await sleep(1000);
    status = await collectStatus();
  }
  if (isStopping()) return;
  const state = readRunningStack(localPaths.stackState);
  console.log(`\n${renderStatusTable([...status.rows, ...infrastructureRows(state)])}\n`);
  for (const note of state?.notes ?? []) log(note);
  if (status.allReady) {
    log('all services are ready. Ctrl-C stops everything.');
    return;
  }
  log(
    `some services are not ready after ${READY_TIMEOUT_MS / 1000} s; the stack keeps running (tsx restarts an app when you save a file). Ctrl-C stops everything.`,
  );
}

async function stopTurbo(): Promise<void> {
  if (!turbo || turbo.exitCode !== null || turbo.signalCode !== null) return;
  const tree = listDescendants(turbo.pid!);
  // Ctrl-C (or a signal to the whole process group) already reached turbo and its tasks, which are
  // shutting down (the stack task last: it waits for the apps before it stops Redis and
  // PostgreSQL); a second signal would make turbo kill them hard. A signal to this process alone
  // did not reach them: then turbo is asked to stop (its npm wrapper forwards SIGTERM; it ignores a
  // SIGINT that does not come from the terminal).
  if (!(await waitForChildExit(turbo, 10_000))) {
    signalProcess(turbo.pid!, 'SIGTERM');
    if (!(await waitForChildExit(turbo, 40_000))) {
      log('turbo did not stop within 50 s; killing it');
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

const { shutdown, isStopping } = stopOnSignals({
  log,
  logError: (line) => console.error(`[stack] ${line}`),
  describe: 'apps, then Redis, then PostgreSQL',
  stop: stopTurbo,
});

async function main(): Promise<void> {
  loadDotEnv();
  await checkAppPortsFree(ports());
  // PORT and SERVICE_JWT_PRIVATE_JWK are per process (from .local/env), never shared by all.
  const { PORT: _port, SERVICE_JWT_PRIVATE_JWK: _key, ...inherited } = process.env;
  log('turbo run dev');
  turbo = spawn(turboBin, ['run', 'dev', '--concurrency=20'], {
    cwd: repoRoot,
    env: { ...inherited, TURBO_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  turbo.once('exit', (code, signal) => {
    if (!isStopping()) void shutdown(`turbo exited with ${signal ?? `code ${code}`}`, 1);
  });
  await waitForStack();
}

main().catch((error: unknown) => {
  console.error(`[stack] ${(error as Error).message}`);
  void shutdown('start-up failed', 1);
});

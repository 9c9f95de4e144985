import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The repository root (this file is e2e/src/support/). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  /** Its stdout + stderr, for the failure message. */
  logFile: string;
  /** http://127.0.0.1:<port> for HTTP services. */
  url?: string;
}

const running = new Set<ChildProcess>();

// However the test run ends (failure, Ctrl-C, jest killing the worker), no app outlives it.
function killAllNow(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
process.once('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}

/**
 * Preloaded into every child: it exits when its IPC channel to this process closes, i.e. when the
 * test process dies, even by SIGKILL (when no exit handler of ours can run).
 */
export const EXIT_WITH_PARENT = 'data:text/javascript,if(process.send)process.on("disconnect",()=>process.exit(1))';

const logDir = mkdtempSync(path.join(tmpdir(), 'neurosphere-e2e-'));

/**
 * Starts one of the platform's apps from its TypeScript sources, exactly as its dev script does
 * (node + tsx, the "development" export condition), with only the environment given here plus PATH.
 */
export function startService(options: {
  name: string;
  app: string;
  entry: string;
  env: Record<string, string>;
  port?: number;
}): ServiceProcess {
  const logFile = path.join(logDir, `${options.name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--conditions=development', '--import', EXIT_WITH_PARENT, '--import', 'tsx', options.entry], {
    cwd: path.join(repoRoot, 'apps', options.app),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  running.add(child);
  child.once('exit', () => running.delete(child));
  return { name: options.name, child, logFile, ...(options.port ? { url: `http://127.0.0.1:${options.port}` } : {}) };
}

/** The last lines a service logged, for an assertion message. */
export function tailOf(service: ServiceProcess, lines = 30): string {
  try {
    return readFileSync(service.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Waits until every HTTP service answers /readyz 200; fails naming the one that died or never got ready. */
export async function waitUntilReady(services: ServiceProcess[], timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const service of services) {
    for (;;) {
      if (service.child.exitCode !== null || service.child.signalCode !== null) {
        throw new Error(
          `${service.name} exited (${service.child.exitCode ?? service.child.signalCode}) before it was ready:\n${tailOf(service)}`,
        );
      }
      if (!service.url) break;
      const ready = await fetch(`${service.url}/readyz`).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`${service.name} not ready after ${timeoutMs / 1000} s:\n${tailOf(service)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** SIGTERM (graceful shutdown), then SIGKILL for anything still running after `graceMs`. */
export async function stopServices(services: ServiceProcess[], graceMs = 10_000): Promise<void> {
  await Promise.all(
    services.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}

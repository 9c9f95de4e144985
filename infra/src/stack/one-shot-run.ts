import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { removeAbandonedRuns, startLocalPostgres } from './postgres';
import type { LocalPostgres } from './postgres';
import { startLocalPgbouncer } from './pgbouncer';
import type { LocalPgbouncer, LocalPgbouncerOptions } from './pgbouncer';
import { findFreePort, signalProcess, waitForChildExit } from './processes';
import { generateRedisPassword, removeAbandonedRedisRuns, startLocalRedis } from './redis';
import type { LocalRedis } from './redis';

/**
 * What a one-shot run (scripts/test, `pnpm bench`) starts for itself: a PostgreSQL 17 and a Redis
 * on free ports, each in `<dir>/run-<pid>` (what runs killed hard left beside it is removed first),
 * and the child processes it runs one at a time. Nothing outlives the run: `stop()` stops both
 * servers and deletes their folders, and a SIGINT, SIGTERM or SIGHUP stops the current step, then
 * the servers, and exits 130.
 */
export interface OneShotRun {
  /** `throwaway` trades durability for speed (tests, smoke runs); the cluster is deleted at the end either way. */
  startPostgres(options: { dir: string; throwaway: boolean }): Promise<LocalPostgres>;
  startRedis(options: { dir: string }): Promise<LocalRedis>;
  /** PgBouncer in transaction pooling mode in front of the PostgreSQL at `postgresPort` (scripts/test's pooled pass). */
  startPgbouncer(options: Omit<LocalPgbouncerOptions, 'port' | 'log'>): Promise<LocalPgbouncer>;
  /** Runs a command as the current step (a signal stops it first) and resolves with its exit code; stopped after `timeoutMs`. */
  runStep(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<number>;
  /** True once a signal has asked the run to stop. */
  isInterrupted(): boolean;
  /** Stops PgBouncer, Redis, then PostgreSQL, and runs `onStop`. */
  stop(): Promise<void>;
}

export function createOneShotRun(options: {
  log: (line: string) => void;
  logError: (line: string) => void;
  /** Removes what else the run wrote; runs on every way out. */
  onStop?: () => void;
}): OneShotRun {
  const { log, logError } = options;
  let postgres: { server: LocalPostgres; dir: string } | undefined;
  let redis: LocalRedis | undefined;
  let pgbouncer: LocalPgbouncer | undefined;
  let current: ChildProcess | undefined;
  let interrupted = false;

  const stop = async () => {
    await pgbouncer?.stop().catch((error: Error) => logError(`stopping PgBouncer: ${error.message}`));
    await redis?.stop().catch((error: Error) => logError(`stopping Redis: ${error.message}`));
    await postgres?.server.stop().catch((error: Error) => logError(`stopping PostgreSQL: ${error.message}`));
    if (postgres) rmSync(postgres.dir, { recursive: true, force: true });
    options.onStop?.();
  };

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      log(`${signal}: stopping`);
      if (current?.pid) signalProcess(current.pid, 'SIGTERM');
      void (current ? waitForChildExit(current, 15_000) : Promise.resolve(true)).then(stop).then(() => process.exit(130));
    });
  }

  return {
    async startPostgres({ dir, throwaway }) {
      await removeAbandonedRuns(dir, log);
      const runDir = path.join(dir, `run-${process.pid}`);
      const server = await startLocalPostgres({
        baseDir: runDir,
        port: await findFreePort(),
        superuser: 'postgres',
        superuserPassword: 'postgres',
        throwaway,
        log,
      });
      postgres = { server, dir: runDir };
      return server;
    },
    async startRedis({ dir }) {
      await removeAbandonedRedisRuns(dir, log);
      redis = await startLocalRedis({
        dir: path.join(dir, `run-${process.pid}`),
        port: await findFreePort(),
        persistent: false,
        password: generateRedisPassword(),
        log,
      });
      return redis;
    },
    async startPgbouncer(pgbouncerOptions) {
      pgbouncer = await startLocalPgbouncer({
        ...pgbouncerOptions,
        dir: path.join(pgbouncerOptions.dir, `run-${process.pid}`),
        port: await findFreePort(),
        log,
      });
      return pgbouncer;
    },
    runStep(command, args, { cwd, env, timeoutMs }) {
      return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
        current = child;
        const timer = timeoutMs
          ? setTimeout(() => {
              logError(`${path.basename(command)} ${args.join(' ')} still running after ${timeoutMs / 60_000} min: stopping it`);
              signalProcess(child.pid!, 'SIGTERM');
              setTimeout(() => signalProcess(child.pid!, 'SIGKILL'), 10_000).unref();
            }, timeoutMs)
          : undefined;
        child.once('error', reject);
        child.once('exit', (code) => {
          if (timer) clearTimeout(timer);
          current = undefined;
          resolve(code ?? 1);
        });
      });
    },
    isInterrupted: () => interrupted,
    stop,
  };
}

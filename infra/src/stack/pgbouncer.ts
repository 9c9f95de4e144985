import { execFileSync, spawn } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { canConnect } from '@neurosphere/db';
import { signalProcess, sleep, tailFile, waitForChildExit } from './processes';

/**
 * PgBouncer (Debian's `pgbouncer` package) in transaction pooling mode in front of the test
 * PostgreSQL, the way production poolers hand one server connection to many clients' transactions.
 * Two pools of the same database: `<database>` (a few server connections, for running test suites
 * through it) and `<database>_single` (exactly one, so two clients' transactions are bound to
 * share it).
 */
export interface LocalPgbouncerOptions {
  /** Holds pgbouncer.ini, userlist.txt (mode 600), pgbouncer.log and pgbouncer.pid; deleted on stop. */
  dir: string;
  port: number;
  postgresPort: number;
  database: string;
  /** The roles clients log in as, with their passwords (PgBouncer logs in to PostgreSQL with them). */
  users: { name: string; password: string }[];
  log: (line: string) => void;
}

export interface LocalPgbouncer {
  port: number;
  /** The pooled URL of `database` (or of its one-connection pool) for a role given in `users`. */
  url(user: string, options?: { singleConnection?: boolean }): string;
  stop(): Promise<void>;
}

/** Where Debian installs it (/usr/sbin is not on every user's PATH). */
export function pgbouncerBinary(): string | undefined {
  for (const candidate of ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v pgbouncer'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const quoted = (value: string) => `"${value.replace(/"/g, '""')}"`;

export async function startLocalPgbouncer(options: LocalPgbouncerOptions): Promise<LocalPgbouncer> {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error('pgbouncer is not installed: scripts/test installs it with apt-get (Debian package pgbouncer)');
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const at = (file: string) => path.join(options.dir, file);
  const server = `host=127.0.0.1 port=${options.postgresPort} dbname=${options.database}`;
  writeFileSync(at('userlist.txt'), options.users.map((user) => `${quoted(user.name)} ${quoted(user.password)}\n`).join(''), {
    mode: 0o600,
  });
  writeFileSync(
    at('pgbouncer.ini'),
    [
      '[databases]',
      `${options.database} = ${server} pool_size=8`,
      `${options.database}_single = ${server} pool_size=1`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${options.port}`,
      'unix_socket_dir =',
      'pool_mode = transaction',
      'auth_type = scram-sha-256',
      `auth_file = ${at('userlist.txt')}`,
      `logfile = ${at('pgbouncer.log')}`,
      `pidfile = ${at('pgbouncer.pid')}`,
      'max_client_conn = 500',
      // node-postgres sends none of these, but some clients do; PgBouncer refuses unknown ones.
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root: as root it runs as the postgres user (which the embedded
  // PostgreSQL already runs as), and that user must own its folder.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    for (const file of [options.dir, at('userlist.txt'), at('pgbouncer.ini')]) chownSync(file, uid, gid);
  }
  const outFd = openSync(at('stdout.log'), 'a');
  const child = spawn(binary, [...(asRoot ? ['-u', 'postgres'] : []), at('pgbouncer.ini')], {
    detached: true,
    stdio: ['ignore', outFd, outFd],
  });
  closeSync(outFd);
  child.unref();

  const first = options.users[0]!;
  const url = (user: string, { singleConnection = false } = {}) => {
    const password = options.users.find((candidate) => candidate.name === user)?.password;
    if (password === undefined) throw new Error(`PgBouncer has no password for ${user}`);
    const database = singleConnection ? `${options.database}_single` : options.database;
    return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`;
  };
  const deadline = Date.now() + 30_000;
  while (!(await canConnect(url(first.name)))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      if (child.pid !== undefined) signalProcess(child.pid, 'SIGKILL');
      throw new Error(
        `PgBouncer did not start on port ${options.port}:\n${tailFile(at('stdout.log'))}\n${existsSync(at('pgbouncer.log')) ? tailFile(at('pgbouncer.log')) : ''}`,
      );
    }
    await sleep(200);
  }

  let stopping: Promise<void> | undefined;
  return {
    port: options.port,
    url,
    stop() {
      stopping ??= (async () => {
        signalProcess(child.pid!, 'SIGTERM');
        if (!(await waitForChildExit(child, 10_000))) {
          signalProcess(child.pid!, 'SIGKILL');
          await waitForChildExit(child, 5_000);
        }
        rmSync(options.dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

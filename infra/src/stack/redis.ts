import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { isProcessAlive, readCommandLine, signalProcess, sleep, tailFile, waitForChildExit, waitForPidExit } from './processes';

/**
 * A Redis server from the machine's `redis-server` (Debian's package; no npm package ships one),
 * in its own process group so that it is stopped after the apps, not together with them. It
 * listens on 127.0.0.1 only and requires a password, like every Redis the platform uses.
 */
export interface LocalRedisOptions {
  /** Holds redis.pid, redis.log, redis.conf and (when persistent) the append-only file. */
  dir: string;
  port: number;
  /** Dev keeps data across restarts (AOF); tests keep nothing and delete `dir` on stop. */
  persistent: boolean;
  /**
   * What clients must send (AUTH) before any command; it is part of `url`. Written to redis.conf
   * (mode 600) rather than the command line, which every local user can read.
   */
  password: string;
  log: (line: string) => void;
}

export interface LocalRedis {
  /** `redis://:<password>@127.0.0.1:<port>`. */
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** A fresh password for a local Redis (hex, so it needs no escaping in a URL or redis.conf). */
export function generateRedisPassword(): string {
  return randomBytes(24).toString('hex');
}

/** A redis:// URL with its password replaced by `***`, for status tables and logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

/** True once the server answers PONG after authenticating with `password`. */
function ping(port: number, password: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write(`AUTH ${password}\r\nPING\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      // Two replies: AUTH's (+OK, or an error while loading) and PING's.
      if (reply.split('\r\n').length > 2) {
        socket.destroy();
        resolve(reply.startsWith('+OK\r\n+PONG'));
      }
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** How many clients are connected to the Redis at `url`, counting the connection that asks. */
export async function redisClientCount(url: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    const list = (await client.call('CLIENT', 'LIST')) as string;
    return list.split('\n').filter((line) => line.trim() !== '').length;
  } finally {
    client.disconnect();
  }
}

async function stopLeftoverServer(pidFile: string, log: (line: string) => void): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid) || !readCommandLine(pid)?.includes('redis-server')) return;
  log(`stopping a Redis left running by an earlier run (pid ${pid})`);
  signalProcess(pid, 'SIGTERM');
  if (!(await waitForPidExit(pid, 15_000))) throw new Error(`Redis pid ${pid} did not stop; stop it and retry`);
}

/** Same idea as for PostgreSQL: `<parent>/run-<pid>` directories of dead test runs are cleaned up. */
export async function removeAbandonedRedisRuns(parent: string, log: (line: string) => void): Promise<void> {
  if (!existsSync(parent)) return;
  for (const entry of readdirSync(parent)) {
    const match = /^run-(\d+)$/.exec(entry);
    if (!match || isProcessAlive(Number(match[1]))) continue;
    const runDir = path.join(parent, entry);
    await stopLeftoverServer(path.join(runDir, 'redis.pid'), log);
    rmSync(runDir, { recursive: true, force: true });
  }
}

export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  mkdirSync(options.dir, { recursive: true });
  const pidFile = path.join(options.dir, 'redis.pid');
  await stopLeftoverServer(pidFile, options.log);

  const logFile = path.join(options.dir, 'redis.log');
  const logFd = openSync(logFile, 'a');
  if (!/^[\x21-\x7e]+$/.test(options.password)) throw new Error('the Redis password must be printable ASCII without spaces');
  const configFile = path.join(options.dir, 'redis.conf');
  writeFileSync(configFile, `requirepass ${options.password}\n`, { mode: 0o600 });
  const args = [
    configFile,
    '--port',
    String(options.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    options.dir,
    '--pidfile',
    pidFile,
    '--daemonize',
    'no',
    '--save',
    '',
    '--appendonly',
    options.persistent ? 'yes' : 'no',
  ];
  const server = spawn('redis-server', args, { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  server.unref();
  const spawnError = new Promise<Error>((resolve) => server.once('error', resolve));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await ping(options.port, options.password)) break;
    const failure = await Promise.race([spawnError, sleep(200).then(() => undefined)]);
    if (failure) throw new Error(`could not run redis-server: ${failure.message}`);
    if (server.exitCode !== null || Date.now() > deadline) {
      if (server.pid !== undefined) signalProcess(server.pid, 'SIGKILL');
      throw new Error(`Redis did not start on port ${options.port}:\n${tailFile(logFile)}`);
    }
  }

  // Memoized: a signal handler and the normal exit path may both ask; both wait for the same stop.
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://:${encodeURIComponent(options.password)}@127.0.0.1:${options.port}`,
    port: options.port,
    pid: server.pid!,
    stop() {
      stopping ??= (async () => {
        // SIGTERM: Redis flushes the append-only file (when persistent) and exits.
        signalProcess(server.pid!, 'SIGTERM');
        if (!(await waitForChildExit(server, 15_000))) {
          signalProcess(server.pid!, 'SIGKILL');
          await waitForChildExit(server, 5_000);
        }
        if (!options.persistent) rmSync(options.dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { isProcessAlive, readCommandLine, signalProcess, sleep, tailFile, waitForChildExit, waitForPidExit } from './processes';

/**
 * A Redis server from the machine's `redis-server` (Debian's package; no npm package ships one),
 * in its own process group so that it is stopped after the apps, not together with them.
 */
export interface LocalRedisOptions {
  /** Holds redis.pid, redis.log and (when persistent) the append-only file. */
  dir: string;
  port: number;
  /** Dev keeps data across restarts (AOF); tests keep nothing and delete `dir` on stop. */
  persistent: boolean;
  log: (line: string) => void;
}

export interface LocalRedis {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) {
        socket.destroy();
        resolve(reply.startsWith('+PONG'));
      }
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** How many clients are connected to the Redis on `port`, counting the connection that asks. */
export async function redisClientCount(port: number): Promise<number> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
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
  const args = [
    '--port', String(options.port),
    '--bind', '127.0.0.1',
    '--dir', options.dir,
    '--pidfile', pidFile,
    '--daemonize', 'no',
    '--save', '',
    '--appendonly', options.persistent ? 'yes' : 'no',
  ];
  const server = spawn('redis-server', args, { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  server.unref();
  const spawnError = new Promise<Error>((resolve) => server.once('error', resolve));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await ping(options.port)) break;
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
    url: `redis://127.0.0.1:${options.port}`,
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

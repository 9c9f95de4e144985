import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './ports';

export interface RedisClusterNode {
  /** redis://127.0.0.1:<port>: pass it with REDIS_CLUSTER=true (createRedis({ cluster: true })). */
  url: string;
  close(): Promise<void>;
}

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (port + 10000) is free and valid too. */
async function freeClusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await freePort();
    if (port + 10_000 <= 65_535 && (await listens(port + 10_000))) return port;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

/**
 * A Redis Cluster of one node on 127.0.0.1 (the machine's redis-server in cluster mode, holding
 * every hash slot), for tests that prove Redis use is cluster-safe: a cluster refuses a command or
 * transaction whose keys hash to different slots (CROSSSLOT), even when one node holds them all.
 */
export async function startRedisClusterNode(): Promise<RedisClusterNode> {
  const port = await freeClusterPort();
  const dir = mkdtempSync(path.join(tmpdir(), 'redis-cluster-'));
  const server = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      'nodes.conf',
      '--cluster-announce-ip',
      '127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const close = async () => {
    server.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  admin.on('error', () => undefined);
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`redis-server (cluster mode) exited with code ${server.exitCode}`);
      try {
        if (admin.status === 'wait') await admin.connect();
        await admin.ping();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    await admin.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    while (!String(await admin.call('CLUSTER', 'INFO')).includes('cluster_state:ok')) {
      if (Date.now() > deadline) throw new Error('the one-node Redis Cluster did not become ready');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.quit();
    return { url: `redis://127.0.0.1:${port}`, close };
  } catch (error) {
    admin.disconnect();
    await close();
    throw error;
  }
}

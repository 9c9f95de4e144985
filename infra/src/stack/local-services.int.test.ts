import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { localDir } from './paths';
import { ensureDatabase, startLocalPostgres } from './postgres';
import { findFreePort, isProcessAlive, readCommandLine } from './processes';
import { generateRedisPassword, redisClientCount, startLocalRedis } from './redis';

// The real servers scripts/start and scripts/test run: embedded PostgreSQL 17 and redis-server.
jest.setTimeout(120_000);

function redisCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(`${command}\r\n`));
    socket.once('data', (chunk) => {
      socket.destroy();
      resolve(chunk.toString('utf8').trim());
    });
    socket.once('error', reject);
  });
}

describe('local PostgreSQL and Redis', () => {
  let parent: string;
  beforeAll(() => {
    // Under the git-ignored .local/, where the postgres user can reach it when we run as root.
    mkdirSync(localDir, { recursive: true });
    parent = mkdtempSync(path.join(localDir, 'stack-int-test-'));
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('runs a throwaway PostgreSQL that accepts connections and disappears on stop', async () => {
    const baseDir = path.join(parent, 'pg');
    const postgres = await startLocalPostgres({
      baseDir,
      port: await findFreePort(),
      superuser: 'postgres',
      superuserPassword: 'postgres',
      throwaway: true,
      log: () => undefined,
    });
    try {
      await ensureDatabase(postgres.superuserUrl('postgres'), 'stack_check');
      await ensureDatabase(postgres.superuserUrl('postgres'), 'stack_check');
      const client = new Client({ connectionString: postgres.superuserUrl('stack_check') });
      await client.connect();
      const { rows } = await client.query<{ version: string; encoding: string }>(
        "SELECT current_setting('server_version') AS version, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = 'stack_check'",
      );
      await client.end();
      expect(rows[0]?.version).toMatch(/^17\./);
      expect(rows[0]?.encoding).toBe('UTF8');
    } finally {
      await postgres.stop();
    }
    expect(isProcessAlive(postgres.pid)).toBe(false);
    expect(existsSync(baseDir)).toBe(false);
  });

  it('runs a Redis without persistence that answers and disappears on stop', async () => {
    const dir = path.join(parent, 'redis');
    const port = await findFreePort();
    const redis = await startLocalRedis({ dir, port, persistent: false, password: 'local-test-password', log: () => undefined });
    try {
      expect(redis.url).toBe(`redis://:local-test-password@127.0.0.1:${port}`);
      // Nothing is served before AUTH; the password is in no process's command line.
      await expect(redisCommand(port, 'PING')).resolves.toMatch(/^-NOAUTH /);
      await expect(redisCommand(port, 'AUTH wrong-password')).resolves.toMatch(/^-WRONGPASS /);
      await expect(redisCommand(port, 'AUTH local-test-password')).resolves.toBe('+OK');
      expect(readCommandLine(redis.pid)).not.toContain('local-test-password');
      // Clients that use the URL are let in.
      expect(await redisClientCount(redis.url)).toBeGreaterThanOrEqual(1);
    } finally {
      await redis.stop();
    }
    expect(isProcessAlive(redis.pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('stopping twice', () => {
  it('waits for the same stop instead of returning early', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'redis-twice-'));
    const redis = await startLocalRedis({
      dir: path.join(dir, 'r'),
      port: await findFreePort(),
      persistent: false,
      password: generateRedisPassword(),
      log: () => undefined,
    });
    await Promise.all([redis.stop(), redis.stop()]);
    expect(isProcessAlive(redis.pid)).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

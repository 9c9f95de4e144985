import { Pool } from 'pg';
import { requireTestDatabaseEnv } from '../testing/test-database-env';
import { createPool, pgPoolOptions } from './pool-options';

/** Opens `count` connections at once and returns their backend pids. */
async function backendPids(pool: Pool, count: number): Promise<number[]> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  try {
    const rows = await Promise.all(clients.map((client) => client.query<{ pid: number }>('select pg_backend_pid() as pid')));
    return rows.map((result) => result.rows[0]!.pid).sort();
  } finally {
    for (const client of clients) client.release();
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pgPoolOptions', () => {
  const { appUrl } = requireTestDatabaseEnv();

  it('keeps idle connections open, so a quiet line does not pay for reconnecting', async () => {
    // A short idle timeout stands in for node-postgres's 10 s default; the policy must hold whatever it is.
    const pool = new Pool({ ...pgPoolOptions({ url: appUrl, max: 2 }), idleTimeoutMillis: 20 });
    // The same settings without the policy, to show the timeout would otherwise close them.
    const plain = new Pool({ connectionString: appUrl, max: 2, idleTimeoutMillis: 20 });
    try {
      const before = await backendPids(pool, 2);
      await backendPids(plain, 2);
      await pause(300);
      expect(plain.totalCount).toBe(0);
      expect(pool.totalCount).toBe(2);
      expect(await backendPids(pool, 2)).toEqual(before);
    } finally {
      await Promise.all([pool.end(), plain.end()]);
    }
  });

  it('never holds more than max connections', async () => {
    const pool = createPool({ url: appUrl, max: 2 });
    try {
      await Promise.all(Array.from({ length: 6 }, () => pool.query('select pg_sleep(0.01)')));
      expect(pool.totalCount).toBe(2);
    } finally {
      await pool.end();
    }
  });
});

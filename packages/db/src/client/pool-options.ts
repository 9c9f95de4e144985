import { Pool } from 'pg';
import type { PoolConfig } from 'pg';

/** node-postgres's default pool size, used when a caller gives none. */
const DEFAULT_POOL_MAX = 10;

/**
 * The platform's PostgreSQL pool settings: a connection, once opened, stays open. node-postgres
 * closes a connection after 10 s idle by default, so on a quiet line the next call's first query
 * would pay for a new connection (TCP, SCRAM, a backend with cold caches planning our functions
 * again), a stall the call path's sub-second budgets cannot absorb. With `min` equal to `max`,
 * node-postgres never closes an idle connection; the pool still opens connections only on demand
 * and never holds more than `max`.
 */
export function pgPoolOptions(options: { url: string; max?: number }): PoolConfig {
  const max = options.max ?? DEFAULT_POOL_MAX;
  return { connectionString: options.url, max, min: max };
}

/** A node-postgres pool with the platform's settings (see pgPoolOptions), e.g. for readiness checks and hot raw reads. */
export function createPool(options: { url: string; max?: number }): Pool {
  return new Pool(pgPoolOptions(options));
}

// First: tracing patches modules as they load (instrument.ts).
import { telemetry } from './instrument';
import { createDb, createPool, warmUpDb } from '@neurosphere/db';
import { createLogger, createRedis, runMain, startServer } from '@neurosphere/http';
import { buildApp, SERVICE_NAME } from './app';
import { parseEnv } from './env';
import { createMemoryQueue } from './jobs/memory-queue';

runMain(async () => {
  const env = parseEnv();
  const logger = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  // node-postgres for the single-statement hot path (and readiness); Prisma for everything else.
  const pool = createPool({ url: env.DATABASE_URL, max: env.DATABASE_POOL_MAX });
  pool.on('error', (error) => logger.error({ err: error }, 'idle PostgreSQL client failed'));
  const db = createDb({ url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX });
  // The orchestrator gives the call-start context read 800 ms: connect both pools before the first
  // caller does (the context read goes through `pool`, the rest through `db`).
  const warm = await Promise.all([
    warmUpDb(db),
    pool.query('select 1').then(
      () => true,
      () => false,
    ),
  ]);
  if (warm.includes(false)) logger.warn('PostgreSQL not reachable at boot');
  // Commands fail after one reconnect attempt instead of queueing: process-call then answers 503 quickly.
  const redis = createRedis({ url: env.REDIS_URL, cluster: env.REDIS_CLUSTER, options: { maxRetriesPerRequest: 1 } });
  redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error'));
  const queue = createMemoryQueue({
    connection: redis,
    prefix: env.MEMORY_QUEUE_PREFIX,
    attempts: env.SUMMARIZE_MAX_ATTEMPTS,
    backoffMs: env.SUMMARIZE_BACKOFF_MS,
  });

  await startServer({
    app: buildApp({ logger, pool, redis, db, queue, jwks: env.SERVICE_JWKS }),
    port: env.PORT,
    host: env.HOST,
    metricsPort: env.METRICS_PORT,
    logger,
    onShutdown: [
      () => queue.close(),
      () => db.$disconnect(),
      () => pool.end(),
      async () => void (await redis.quit()),
      async () => telemetry?.shutdown(),
    ],
  });
});

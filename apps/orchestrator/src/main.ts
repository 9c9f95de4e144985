// First: tracing patches modules as they load (instrument.ts).
import { telemetry } from './instrument';
import { createDb, createPool, warmUpDb } from '@neurosphere/db';
import { createLogger, createRedis, runMain, startServer } from '@neurosphere/http';
import { buildApp, createCallRuntime, SERVICE_NAME } from './app';
import type { AppDeps } from './app';
import { parseEnv } from './env';
import { createOrchestratorQueue } from './jobs/orchestrator-queue';
import { startCallReaper } from './jobs/call-reaper';
import { createOrchestratorWorker } from './jobs/orchestrator-worker';
import { createMetrics } from './observability/metrics';

runMain(async () => {
  const env = parseEnv();
  const logger = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  const pool = createPool({ url: env.DATABASE_URL, max: 2 });
  pool.on('error', (error) => logger.error({ err: error }, 'idle PostgreSQL client failed'));
  const db = createDb({ url: env.DATABASE_URL });
  // Loading tenant settings has a 1 s budget at call start: connect before the first caller does.
  if (!(await warmUpDb(db))) logger.warn('PostgreSQL not reachable at boot');
  // Call path: fail a command quickly rather than queue it through a long reconnect; every
  // command also has its own REDIS_TIMEOUT_MS budget in code.
  const redis = createRedis({ url: env.REDIS_URL, cluster: env.REDIS_CLUSTER, options: { maxRetriesPerRequest: 1 } });
  redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error'));
  const queueConnection = createRedis({ url: env.REDIS_URL, cluster: env.REDIS_CLUSTER, options: { maxRetriesPerRequest: 1 } });
  queueConnection.on('error', (error) => logger.warn({ err: error }, 'Redis (queue) connection error'));
  // BullMQ workers block on Redis and must retry forever rather than fail commands.
  const workerConnection = createRedis({ url: env.REDIS_URL, cluster: env.REDIS_CLUSTER, options: { maxRetriesPerRequest: null } });
  workerConnection.on('error', (error) => logger.warn({ err: error }, 'Redis (worker) connection error'));

  const transcriptQueue = createOrchestratorQueue({
    connection: queueConnection,
    prefix: env.ORCHESTRATOR_QUEUE_PREFIX,
    attempts: env.TRANSCRIPT_RETRY_ATTEMPTS,
    backoffMs: env.TRANSCRIPT_RETRY_BACKOFF_MS,
  });
  const metrics = createMetrics();
  const deps: AppDeps = { logger, pool, redis, db, env, transcriptQueue, metrics };

  // The transcript retry and call finish worker runs in this process: it is small, and it shares the counters.
  const runtime = createCallRuntime(deps, metrics);
  const worker = createOrchestratorWorker({
    connection: workerConnection,
    prefix: env.ORCHESTRATOR_QUEUE_PREFIX,
    logger,
    deps: runtime,
  });
  const reaper = startCallReaper({
    db,
    callFinishes: runtime.callFinishes,
    logger,
    intervalMs: env.CALL_REAP_INTERVAL_SECONDS * 1000,
    reapAfterMs: env.CALL_REAP_AFTER_SECONDS * 1000,
  });

  await startServer({
    app: buildApp(deps),
    port: env.PORT,
    host: env.HOST,
    metricsPort: env.METRICS_PORT,
    logger,
    onShutdown: [
      async () => reaper.close(),
      () => worker.close(),
      () => transcriptQueue.close(),
      () => db.$disconnect(),
      () => pool.end(),
      async () => void (await Promise.all([redis.quit(), queueConnection.quit(), workerConnection.quit()])),
      async () => telemetry?.shutdown(),
    ],
  });
});

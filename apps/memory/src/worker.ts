import { createLogger, handleShutdownSignals, runMain } from '@neurosphere/http';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { SERVICE_NAME } from './app';
import { parseEnv } from './env';
import { createMemoryWorker, MEMORY_QUEUE_NAME } from './jobs/memory-worker';
import { registerJobHandlers } from './jobs/register-job-handlers';

runMain(async () => {
  const env = parseEnv();
  const logger = createLogger({ service: `${SERVICE_NAME}-worker`, level: env.LOG_LEVEL });
  const pool = new Pool({ connectionString: env.DATABASE_URL });
  pool.on('error', (error) => logger.error({ err: error }, 'idle PostgreSQL client failed'));
  // BullMQ workers block on Redis and must retry forever rather than fail commands.
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  connection.on('error', (error) => logger.warn({ err: error }, 'Redis connection error'));

  const worker = createMemoryWorker({ connection, logger, handlers: registerJobHandlers({ logger, pool }) });
  await worker.waitUntilReady();
  logger.info({ queue: MEMORY_QUEUE_NAME }, 'memory worker started');

  // worker.close() waits for the jobs in progress to finish.
  handleShutdownSignals({
    logger,
    steps: [() => worker.close(), () => pool.end(), async () => void (await connection.quit())],
    timeoutMs: 30_000,
  });
});

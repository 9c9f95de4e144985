import { createDb } from '@neurosphere/db';
import { createLogger, createRedis, handleShutdownSignals, runMain } from '@neurosphere/http';
import { SERVICE_NAME } from './app';
import { createOpenAiSummarizer } from './domain/calls/call-summarizer';
import { parseEnv } from './env';
import { MEMORY_QUEUE_NAME } from './jobs/memory-queue';
import { createMemoryWorker } from './jobs/memory-worker';

runMain(async () => {
  const env = parseEnv();
  const logger = createLogger({ service: `${SERVICE_NAME}-worker`, level: env.LOG_LEVEL });
  const db = createDb({ url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX });
  // BullMQ workers block on Redis and must retry forever rather than fail commands.
  const connection = createRedis({ url: env.REDIS_URL, cluster: env.REDIS_CLUSTER, options: { maxRetriesPerRequest: null } });
  connection.on('error', (error) => logger.warn({ err: error }, 'Redis connection error'));
  if (!env.OPENAI_API_KEY && !env.OPENAI_BASE_URL) {
    logger.warn('OPENAI_API_KEY is not set: summarization jobs will fail until it is configured (re-post the calls then)');
  }
  const summarizer = createOpenAiSummarizer({
    apiKey: env.OPENAI_API_KEY,
    baseURL: env.OPENAI_BASE_URL,
    model: env.OPENAI_SUMMARY_MODEL,
    timeoutMs: env.OPENAI_TIMEOUT_MS,
    transcriptBudgetChars: env.SUMMARY_TRANSCRIPT_MAX_CHARS,
  });

  const worker = createMemoryWorker({
    connection,
    logger,
    prefix: env.MEMORY_QUEUE_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    deps: { db, summarizer },
  });
  await worker.waitUntilReady();
  logger.info({ queue: MEMORY_QUEUE_NAME, concurrency: env.WORKER_CONCURRENCY }, 'memory worker started');

  // worker.close() waits for the jobs in progress to finish; a job cut off by a hard kill is
  // picked up again by the stalled-job check of the next worker.
  handleShutdownSignals({
    logger,
    steps: [() => worker.close(), () => db.$disconnect(), async () => void (await connection.quit())],
    timeoutMs: 30_000,
  });
});

// First: tracing patches modules as they load (instrument-worker.ts).
import { telemetry } from './instrument-worker';
import { createDb } from '@neurosphere/db';
import { createLogger, createRedis, handleShutdownSignals, providerTimer, Registry, runMain, startMetricsServer } from '@neurosphere/http';
import { SERVICE_NAME } from './app';
import { createOpenAiSummarizer } from './domain/calls/call-summarizer';
import { parseEnv } from './env';
import { createMemoryQueue, MEMORY_QUEUE_NAME } from './jobs/memory-queue';
import { createMemoryWorker, observeMemoryWorker } from './jobs/memory-worker';

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
  const metricsRegistry = new Registry();
  const summarizer = createOpenAiSummarizer({
    timer: providerTimer(metricsRegistry),
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
    deps: { db, summarizer, keyring: env.byokKeyring },
  });
  await worker.waitUntilReady();
  logger.info({ queue: MEMORY_QUEUE_NAME, concurrency: env.WORKER_CONCURRENCY }, 'memory worker started');

  // The worker's own small metrics listener (METRICS_PORT): job latency, queue depth, OpenAI latency.
  // Its queue handle only reads counts, so it shares the worker's connection.
  const depthQueue = createMemoryQueue({
    connection,
    prefix: env.MEMORY_QUEUE_PREFIX,
    attempts: env.SUMMARIZE_MAX_ATTEMPTS,
    backoffMs: env.SUMMARIZE_BACKOFF_MS,
  });
  observeMemoryWorker({ registry: metricsRegistry, worker, queue: depthQueue });
  const metricsServer =
    env.METRICS_PORT === undefined
      ? undefined
      : await startMetricsServer({ registry: metricsRegistry, port: env.METRICS_PORT, host: env.HOST, logger });

  // worker.close() waits for the jobs in progress to finish; a job cut off by a hard kill is
  // picked up again by the stalled-job check of the next worker.
  handleShutdownSignals({
    logger,
    steps: [
      () => worker.close(),
      () => depthQueue.close(),
      () => db.$disconnect(),
      async () => void (await connection.quit()),
      async () => metricsServer?.close(),
      async () => telemetry?.shutdown(),
    ],
    timeoutMs: 30_000,
  });
});

// First: tracing patches modules as they load (instrument.ts).
import { telemetry } from './instrument';
import { createServiceTokenSigner } from '@neurosphere/auth';
import { createDb, createPool } from '@neurosphere/db';
import { createLogger, createRedis, providerTimer, Registry, runMain, startServer } from '@neurosphere/http';
import { observeQueueDepth, observeWorker } from '@neurosphere/jobs';
import { TWILIO_WEBHOOK_PATHS } from '@neurosphere/twilio';
import OpenAI from 'openai';
import { buildApp, SERVICE_NAME } from './app';
import { createMemoryContextClient } from './clients/memory-client';
import { createSendStore } from './domain/messages/send-store';
import { createTwilioSender } from './domain/twilio/twilio-sender';
import { parseEnv } from './env';
import { sendQueueOf } from './jobs/send-message-job';
import { createSendQueue } from './jobs/send-queue';
import { createSendWorker } from './jobs/send-worker';

runMain(async () => {
  const env = parseEnv();
  const logger = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  // A small pg pool for /readyz; the Prisma client has its own pool for all tenant queries.
  const pool = createPool({ url: env.DATABASE_URL, max: 2 });
  pool.on('error', (error) => logger.error({ err: error }, 'idle PostgreSQL client failed'));
  const db = createDb({ url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX });
  const redis = createRedis({ url: env.REDIS_URL, cluster: env.REDIS_CLUSTER });
  redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error'));
  // BullMQ workers block on Redis and must retry forever rather than fail commands.
  const workerConnection = createRedis({ url: env.REDIS_URL, cluster: env.REDIS_CLUSTER, options: { maxRetriesPerRequest: null } });
  workerConnection.on('error', (error) => logger.warn({ err: error }, 'Redis (send worker) connection error'));

  const platformAccount =
    env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN } : null;
  if (!platformAccount)
    logger.warn('TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN not set: texts from platform numbers fail (PLATFORM_TWILIO_NOT_CONFIGURED)');
  if (!env.byokKeyring) logger.warn('BYOK_KEYS not set: texts from numbers on tenants’ own Twilio accounts fail (BYOK_KEYRING_MISSING)');
  if (!env.PUBLIC_BASE_URL)
    logger.warn('PUBLIC_BASE_URL not set: texts are sent without a status callback, so delivery status stays "sent"');

  // One registry for the app, the send worker and Twilio's latency, served on METRICS_PORT.
  const metricsRegistry = new Registry();
  // The send worker runs inside this process (one deployable; scale by adding instances).
  const queue = createSendQueue({ connection: redis, prefix: env.SMS_QUEUE_PREFIX });
  const worker = createSendWorker({
    connection: workerConnection,
    prefix: env.SMS_QUEUE_PREFIX,
    concurrency: env.SMS_WORKER_CONCURRENCY,
    logger,
    deps: {
      db,
      store: createSendStore(db),
      logger,
      twilio: {
        sender: createTwilioSender({ apiBaseUrl: env.TWILIO_API_BASE_URL, timer: providerTimer(metricsRegistry) }),
        platformAccount,
        byokKeyring: env.byokKeyring,
      },
      ...(env.PUBLIC_BASE_URL ? { statusCallbackUrl: `${env.PUBLIC_BASE_URL.replace(/\/+$/, '')}${TWILIO_WEBHOOK_PATHS.smsStatus}` } : {}),
    },
  });

  observeQueueDepth(metricsRegistry, [queue]);
  observeWorker(metricsRegistry, worker);

  const signer = createServiceTokenSigner({ issuer: 'sms', privateJwk: env.SERVICE_JWT_PRIVATE_JWK });
  const app = buildApp({
    logger,
    pool,
    redis,
    db,
    jwks: env.SERVICE_JWKS,
    sendQueue: sendQueueOf(queue),
    byokKeyring: env.byokKeyring,
    metricsRegistry,
    ai: {
      openai: env.OPENAI_API_KEY
        ? new OpenAI({ apiKey: env.OPENAI_API_KEY, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) })
        : null,
      openaiWithKey: (apiKey) => new OpenAI({ apiKey, ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}) }),
      memory: env.MEMORY_URL ? createMemoryContextClient({ baseUrl: env.MEMORY_URL, signer, timeoutMs: 800 }) : null,
      defaultModel: env.SMS_AI_MODEL,
      openaiTimeoutMs: 8_000,
    },
  });

  await startServer({
    app,
    port: env.PORT,
    host: env.HOST,
    metricsPort: env.METRICS_PORT,
    logger,
    shutdownTimeoutMs: 30_000,
    onShutdown: [
      // close() lets sends in progress finish, so none is cut off between Twilio and the database.
      () => worker.close(),
      () => queue.close(),
      async () => void (await workerConnection.quit()),
      async () => void (await redis.quit()),
      () => db.$disconnect(),
      () => pool.end(),
      async () => telemetry?.shutdown(),
    ],
  });
});

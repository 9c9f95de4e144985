// First: tracing patches modules as they load (instrument.ts).
import { telemetry } from './instrument';
import { createServiceTokenSigner } from '@neurosphere/auth';
import { createDb, createPool } from '@neurosphere/db';
import { createLogger, createRedis, runMain, startServer } from '@neurosphere/http';
import { createQueue, observeQueueDepth, observeWorker } from '@neurosphere/jobs';
import { createMailer, mailTransportFromEnv } from '@neurosphere/mail';
import { buildApp, SERVICE_NAME } from './app';
import { createOrchestratorClient } from './clients/orchestrator-client';
import { createAdminTokens } from './domain/auth/admin-token';
import { listAdminsWithoutPassword } from './domain/admin-users/list-admins-without-password';
import { createPlatformOperations } from './domain/platform/create-platform-operations';
import { authSettingsFromEnv, parseEnv } from './env';
import { createAdminApiMetrics } from './metrics';
import { createCallerErasure } from './clients/memory-client';
import { createStaffSms } from './clients/sms-client';
import { startNotificationDispatcher } from './domain/notifications/notification-dispatcher';
import { createNotificationsQueue } from './jobs/notifications-queue';
import { createNotificationsWorker } from './jobs/notifications-worker';

const SET_PASSWORD_COMMAND = 'pnpm --filter @neurosphere/admin-api set-password -- --email <email>';

runMain(async () => {
  const env = parseEnv();
  const logger = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  const pool = createPool({ url: env.DATABASE_URL });
  pool.on('error', (error) => logger.error({ err: error }, 'idle PostgreSQL client failed'));
  const redis = createRedis({ url: env.REDIS_URL, cluster: env.REDIS_CLUSTER });
  redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error'));
  const db = createDb({ url: env.DATABASE_URL });
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL });
  const metrics = createAdminApiMetrics();
  // One mailer for the routes and the notifications worker, so every failed mail is counted.
  const mailer = createMailer({ transport: mailTransportFromEnv(env), logger, onFailure: (kind) => metrics.mailFailed.inc({ kind }) });
  if (!mailer.configured)
    logger.warn('no SMTP server configured (SMTP_URL or SMTP_HOST): invitation links are shown to the inviting owner instead of mailed');
  const settings = authSettingsFromEnv(env);
  const signer = createServiceTokenSigner({ issuer: 'admin-api', privateJwk: env.SERVICE_JWT_PRIVATE_JWK });

  // Notifications run in this process: the dispatcher turns committed events into deliveries and
  // the worker sends them. BullMQ's worker needs a connection that waits through reconnects.
  const queueRedis = createRedis({ url: env.REDIS_URL, cluster: env.REDIS_CLUSTER, options: { maxRetriesPerRequest: null } });
  queueRedis.on('error', (error) => logger.warn({ err: error }, 'Redis (notifications queue) connection error'));
  const notifications = createNotificationsQueue({
    connection: queueRedis,
    prefix: env.NOTIFICATIONS_QUEUE_PREFIX,
    attempts: env.NOTIFICATION_DELIVERY_ATTEMPTS,
    backoffMs: env.NOTIFICATION_RETRY_BACKOFF_MS,
  });
  const webhookDestinations = { allowPrivateAddresses: env.WEBHOOK_ALLOW_PRIVATE_ADDRESSES };
  const worker = createNotificationsWorker({
    connection: queueRedis,
    prefix: env.NOTIFICATIONS_QUEUE_PREFIX,
    logger,
    deps: {
      db,
      mailer,
      sms: env.SMS_URL ? createStaffSms({ baseUrl: env.SMS_URL, signer, timeoutMs: 10_000 }) : null,
      consoleUrl: settings.consoleUrl,
      webhookTimeoutMs: env.WEBHOOK_TIMEOUT_MS,
      webhookDestinations,
    },
  });
  observeQueueDepth(metrics.registry, [notifications.queue]);
  // The queue view only reads these (Bull Board in read-only mode); they share the notifications connection.
  const operatorQueues = [
    notifications.queue,
    ...env.OPERATOR_QUEUES.map((entry) => {
      const [prefix, name] = entry.split(':') as [string, string];
      return createQueue(name, { connection: queueRedis, prefix });
    }),
  ];
  observeWorker(metrics.registry, worker);
  const dispatcher = startNotificationDispatcher({
    db,
    listenUrl: env.DATABASE_URL,
    enqueueDelivery: notifications.enqueueDelivery,
    logger,
    pollIntervalMs: env.NOTIFICATION_POLL_INTERVAL_MS,
  });

  if (!env.TWILIO_ACCOUNT_SID)
    logger.warn('TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN not set: onboarding into sub-accounts and platform numbers answer 503');
  if (!env.PUBLIC_BASE_URL) logger.warn('PUBLIC_BASE_URL not set: numbers cannot be provisioned (their webhooks would point nowhere)');
  if (!env.byokKeyring) logger.warn('BYOK_KEYS not set: tenant keys and sub-account tokens cannot be stored');

  if (env.NODE_ENV === 'development') {
    // Seeded admins have no password and cannot log in until one is set. Only a hint: a slow
    // database at boot (every app starting at once under turbo dev) must not stop the server.
    try {
      const emails = await listAdminsWithoutPassword({ platformDb, actor: 'admin-api:boot' });
      if (emails.length > 0) {
        logger.info(
          { emails: emails.slice(0, 10) },
          `${emails.length} admin user(s) have no password yet and cannot log in; set one with: ${SET_PASSWORD_COMMAND}`,
        );
      }
    } catch (error) {
      logger.warn({ err: error }, 'could not list the admin users without a password');
    }
  }

  await startServer({
    app: buildApp({
      logger,
      pool,
      redis,
      db,
      platformDb,
      tokens: createAdminTokens(env.ADMIN_JWT_SECRET),
      csrfSecret: env.ADMIN_JWT_SECRET,
      mailer,
      settings,
      trustProxyHops: env.ADMIN_TRUST_PROXY_HOPS,
      metrics,
      operations: createPlatformOperations(env, logger),
      allowedModels: env.OPENAI_ALLOWED_MODELS,
      ...(env.ORCHESTRATOR_URL
        ? {
            orchestrator: createOrchestratorClient({
              baseUrl: env.ORCHESTRATOR_URL,
              signer,
              timeoutMs: env.ORCHESTRATOR_TIMEOUT_MS,
            }),
          }
        : {}),
      notifications,
      operatorQueues,
      webhookDestinations,
      ...(env.MEMORY_URL ? { memory: createCallerErasure({ baseUrl: env.MEMORY_URL, signer, timeoutMs: 10_000 }) } : {}),
    }),
    port: env.PORT,
    host: env.HOST,
    metricsPort: env.METRICS_PORT,
    logger,
    onShutdown: [
      () => dispatcher.close(),
      () => worker.close(),
      async () => void (await Promise.all(operatorQueues.map((queue) => queue.close()))),
      async () => void (await queueRedis.quit()),
      async () => mailer.close(),
      () => pool.end(),
      () => db.$disconnect(),
      () => platformDb.$disconnect(),
      async () => void (await redis.quit()),
      async () => telemetry?.shutdown(),
    ],
  });
});

import { createDb, createPool } from '@neurosphere/db';
import { createLogger, createRedis, runMain, startServer } from '@neurosphere/http';
import { createMailer, mailTransportFromEnv } from '@neurosphere/mail';
import { collectDefaultMetrics } from 'prom-client';
import { buildApp, SERVICE_NAME } from './app';
import { createAdminTokens } from './domain/auth/admin-token';
import { listAdminsWithoutPassword } from './domain/admin-users/list-admins-without-password';
import { authSettingsFromEnv, parseEnv } from './env';
import { createAdminApiMetrics } from './metrics';

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
  const mailer = createMailer({ transport: mailTransportFromEnv(env), logger });
  if (!mailer.configured) logger.warn('no SMTP server configured (SMTP_URL or SMTP_HOST): invitation links are shown to the inviting owner instead of mailed');
  const metrics = createAdminApiMetrics();
  collectDefaultMetrics({ register: metrics.registry });

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
      settings: authSettingsFromEnv(env),
      trustProxyHops: env.ADMIN_TRUST_PROXY_HOPS,
      metrics,
    }),
    port: env.PORT,
    logger,
    onShutdown: [async () => mailer.close(), () => pool.end(), () => db.$disconnect(), () => platformDb.$disconnect(), async () => void (await redis.quit())],
  });
});

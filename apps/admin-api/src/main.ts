import { createDb, createPool } from '@neurosphere/db';
import { createLogger, runMain, startServer } from '@neurosphere/http';
import { Redis } from 'ioredis';
import { buildApp, SERVICE_NAME } from './app';
import { createAdminTokens } from './domain/auth/admin-token';
import { listAdminsWithoutPassword } from './domain/admin-users/list-admins-without-password';
import { createPlatformOperations } from './domain/platform/create-platform-operations';
import { parseEnv } from './env';

const SET_PASSWORD_COMMAND = 'pnpm --filter @neurosphere/admin-api set-password -- --email <email>';

runMain(async () => {
  const env = parseEnv();
  const logger = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  const pool = createPool({ url: env.DATABASE_URL });
  pool.on('error', (error) => logger.error({ err: error }, 'idle PostgreSQL client failed'));
  const redis = new Redis(env.REDIS_URL);
  redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error'));
  const db = createDb({ url: env.DATABASE_URL });
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL });

  if (!env.TWILIO_ACCOUNT_SID) logger.warn('TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN not set: onboarding into sub-accounts and platform numbers answer 503');
  if (!env.PUBLIC_BASE_URL) logger.warn('PUBLIC_BASE_URL not set: numbers cannot be provisioned (their webhooks would point nowhere)');
  if (!env.byokKeyring) logger.warn('BYOK_KEYS not set: tenant keys and sub-account tokens cannot be stored');

  if (env.NODE_ENV === 'development') {
    // Seeded admins have no password and cannot log in until one is set.
    const emails = await listAdminsWithoutPassword({ platformDb, actor: 'admin-api:boot' });
    if (emails.length > 0) {
      logger.info(
        { emails: emails.slice(0, 10) },
        `${emails.length} admin user(s) have no password yet and cannot log in; set one with: ${SET_PASSWORD_COMMAND}`,
      );
    }
  }

  await startServer({
    app: buildApp({ logger, pool, redis, db, platformDb, tokens: createAdminTokens(env.ADMIN_JWT_SECRET), operations: createPlatformOperations(env, logger) }),
    port: env.PORT,
    logger,
    onShutdown: [() => pool.end(), () => db.$disconnect(), () => platformDb.$disconnect(), async () => void (await redis.quit())],
  });
});

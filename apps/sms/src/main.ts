import { createLogger, runMain, startServer } from '@neurosphere/http';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { buildApp, SERVICE_NAME } from './app';
import { parseEnv } from './env';

runMain(async () => {
  const env = parseEnv();
  const logger = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  const pool = new Pool({ connectionString: env.DATABASE_URL });
  pool.on('error', (error) => logger.error({ err: error }, 'idle PostgreSQL client failed'));
  const redis = new Redis(env.REDIS_URL);
  redis.on('error', (error) => logger.warn({ err: error }, 'Redis connection error'));

  await startServer({
    app: buildApp({ logger, pool, redis }),
    port: env.PORT,
    logger,
    onShutdown: [() => pool.end(), async () => void (await redis.quit())],
  });
});

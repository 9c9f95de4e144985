// First: tracing patches modules as they load (instrument.ts).
import { telemetry } from './instrument';
import { createServiceTokenSigner } from '@neurosphere/auth';
import { createDb, createPool, warmUpDb } from '@neurosphere/db';
import { createLogger, runMain, startServer } from '@neurosphere/http';
import { buildGateway, SERVICE_NAME } from './app';
import { createOrchestratorClient } from './clients/orchestrator-client';
import { createRelayClient } from './clients/relay-client';
import { createSmsClient } from './clients/sms-client';
import { parseEnv } from './env';
import { createGatewayMetrics } from './metrics';

runMain(async () => {
  const env = parseEnv();
  const logger = createLogger({ service: SERVICE_NAME, level: env.LOG_LEVEL });
  const pool = createPool({ url: env.DATABASE_URL, max: 2 });
  pool.on('error', (error) => logger.error({ err: error }, 'idle PostgreSQL client failed'));
  const db = createDb({ url: env.DATABASE_URL });
  // The number lookup has an 800 ms budget: connect before the first caller does.
  if (!(await warmUpDb(db))) logger.warn('PostgreSQL not reachable at boot');
  const keyring = env.byokKeyring;
  const signer = createServiceTokenSigner({ issuer: 'gateway', privateJwk: env.SERVICE_JWT_PRIVATE_JWK });
  const metrics = createGatewayMetrics();

  const { app, relaySockets } = buildGateway({
    logger,
    pool,
    db,
    keyring,
    metrics,
    orchestrator: createOrchestratorClient({
      baseUrl: env.ORCHESTRATOR_URL,
      signer,
      timeoutMs: env.ORCHESTRATOR_TIMEOUT_MS,
      audioTimeoutMs: env.AUDIO_TIMEOUT_MS,
    }),
    relay: createRelayClient({ baseUrl: env.ORCHESTRATOR_URL, signer, timeoutMs: env.ORCHESTRATOR_TIMEOUT_MS }),
    sms: createSmsClient({ baseUrl: env.SMS_URL, signer, timeoutMs: env.SMS_TIMEOUT_MS }),
    config: {
      publicBaseUrl: env.PUBLIC_BASE_URL,
      twilioAuthToken: env.TWILIO_AUTH_TOKEN,
      tenantCacheTtlMs: env.TENANT_CACHE_TTL_MS,
      tenantLookupTimeoutMs: env.TENANT_LOOKUP_TIMEOUT_MS,
      relayLimits: {
        maxMessagesPerSecond: env.RELAY_MAX_MESSAGES_PER_SECOND,
        setupTimeoutMs: env.RELAY_SETUP_TIMEOUT_MS,
        silenceTimeoutMs: env.RELAY_SILENCE_TIMEOUT_MS,
      },
    },
  });
  const running = await startServer({
    app,
    port: env.PORT,
    host: env.HOST,
    // /metrics is served there, never on PORT: PORT is what Twilio and the internet reach.
    metricsPort: env.METRICS_PORT,
    logger,
    // Open relay sockets are closed first (1001): Twilio ends those sessions, and their calls take the action URL.
    onShutdown: [() => relaySockets.close(), () => pool.end(), () => db.$disconnect(), async () => telemetry?.shutdown()],
  });
  relaySockets.attach(running.server);
  logger.info(
    { publicBaseUrl: env.PUBLIC_BASE_URL, orchestrator: env.ORCHESTRATOR_URL, sms: env.SMS_URL, byok: Boolean(keyring) },
    'gateway configured',
  );
});

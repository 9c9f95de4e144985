import { createServiceTokenSigner } from '@neurosphere/auth';
import type { Db } from '@neurosphere/db';
import { createServiceApp, postgresCheck, providerTimer, redisCheck } from '@neurosphere/http';
import type { Logger, RedisClient } from '@neurosphere/http';
import type { Queue } from 'bullmq';
import type { Express } from 'express';
import type { Pool } from 'pg';
import { createTtsClient } from './clients/elevenlabs-tts';
import { createMemoryClient } from './clients/memory-client';
import { createLlmClient } from './clients/openai-chat';
import { createSmsClient } from './clients/sms-client';
import { createTwilioCallLookup } from './clients/twilio-calls';
import type { CallRuntime, CallSettings } from './domain/call-runtime/call-runtime';
import { createCallStateStore } from './domain/call-runtime/call-state';
import { createAudioStore } from './domain/call-runtime/audio-store';
import { createCallLocks } from './domain/relay/call-lock';
import type { RelayRuntime } from './domain/relay/relay-runtime';
import { createProviderKeyStore } from './domain/tenants/provider-key-store';
import type { Env } from './env';
import { finishCallJob } from './jobs/finish-call-job';
import { jobScheduler } from './jobs/orchestrator-queue';
import { submitTranscriptJob } from './jobs/submit-transcript-job';
import { createMetrics } from './observability/metrics';
import type { OrchestratorMetrics } from './observability/metrics';
import { recordFallbackAnswer } from './domain/call-log/record-fallback-answer';
import { createFailureReporter } from './observability/report-failure';
import { mountCallRoutes } from './routes/call-routes';
import { relayRoutes } from './routes/relay-routes';

export const SERVICE_NAME = 'orchestrator';

/** Everything the app talks to, created by main.ts (or by a test, against real servers). */
export interface AppDeps {
  logger: Logger;
  /** For the readiness check. */
  pool: Pool;
  /** Call state and audio. */
  redis: RedisClient;
  /** Prisma as neurosphere_app: every query goes through withTenant. */
  db: Db;
  env: Env;
  /**
   * The orchestrator queue (createOrchestratorQueue; main.ts runs the worker): transcripts memory
   * did not accept, and calls to finish (outbox, reaper).
   */
  transcriptQueue: Queue;
  /** Defaults to a fresh registry per app. */
  metrics?: OrchestratorMetrics;
}

/** The call path's timeouts and defaults: read here, so the call domain never depends on env.ts. */
function callSettingsFromEnv(env: Env): CallSettings {
  return {
    turnBudgetMs: env.TURN_BUDGET_MS,
    openaiTimeoutMs: env.OPENAI_TIMEOUT_MS,
    elevenlabsTimeoutMs: env.ELEVENLABS_TIMEOUT_MS,
    memoryContextTimeoutMs: env.MEMORY_CONTEXT_TIMEOUT_MS,
    memorySubmitTimeoutMs: env.MEMORY_SUBMIT_TIMEOUT_MS,
    smsTimeoutMs: env.SMS_TIMEOUT_MS,
    redisTimeoutMs: env.REDIS_TIMEOUT_MS,
    databaseTimeoutMs: env.DATABASE_TIMEOUT_MS,
    defaultModel: env.OPENAI_DEFAULT_MODEL,
    allowedModels: env.OPENAI_ALLOWED_MODELS,
    defaultTemperature: env.OPENAI_TEMPERATURE,
    maxCompletionTokens: env.OPENAI_MAX_COMPLETION_TOKENS,
    lowConfidenceThreshold: env.LOW_CONFIDENCE_THRESHOLD,
    gather: { speechModel: env.GATHER_SPEECH_MODEL === 'none' ? null : env.GATHER_SPEECH_MODEL, speechTimeout: env.GATHER_SPEECH_TIMEOUT },
    transferRingSeconds: env.TRANSFER_RING_SECONDS,
    ttsModelId: env.ELEVENLABS_MODEL_ID,
  };
}

/** The call domain's collaborators, built from AppDeps; main.ts shares it with the job worker. */
export function createCallRuntime(deps: AppDeps, metrics: OrchestratorMetrics): CallRuntime {
  const { env, logger } = deps;
  const signer = createServiceTokenSigner({ issuer: 'orchestrator', privateJwk: env.SERVICE_JWT_PRIVATE_JWK });
  const timer = providerTimer(metrics.registry);
  return {
    db: deps.db,
    logger,
    failures: createFailureReporter(metrics, logger, (entry) =>
      recordFallbackAnswer({ db: deps.db, timeoutMs: env.DATABASE_TIMEOUT_MS, ...entry }),
    ),
    settings: callSettingsFromEnv(env),
    callStates: createCallStateStore({ redis: deps.redis, ttlSeconds: env.CALL_STATE_TTL_SECONDS }),
    audio: createAudioStore({ redis: deps.redis, ttlSeconds: env.AUDIO_TTL_SECONDS }),
    llm: createLlmClient({ baseURL: env.OPENAI_BASE_URL, platformApiKey: env.OPENAI_API_KEY, timer }),
    tts: createTtsClient({ baseUrl: env.ELEVENLABS_BASE_URL, platformApiKey: env.ELEVENLABS_API_KEY, timer }),
    memory: createMemoryClient({
      baseUrl: env.MEMORY_URL,
      signer,
      timeoutMs: Math.max(env.MEMORY_CONTEXT_TIMEOUT_MS, env.MEMORY_SUBMIT_TIMEOUT_MS),
    }),
    sms: createSmsClient({ baseUrl: env.SMS_URL, signer, timeoutMs: env.SMS_TIMEOUT_MS }),
    providerKeys: createProviderKeyStore({ db: deps.db, keyring: env.byokKeyring }),
    transcriptRetries: jobScheduler(submitTranscriptJob, { queue: deps.transcriptQueue, timeoutMs: env.REDIS_TIMEOUT_MS }),
    callFinishes: jobScheduler(finishCallJob, { queue: deps.transcriptQueue, timeoutMs: env.REDIS_TIMEOUT_MS }),
    twilioCalls: createTwilioCallLookup({
      db: deps.db,
      platformAccount:
        env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN } : null,
      keyring: env.byokKeyring,
      apiBaseUrl: env.TWILIO_API_BASE_URL,
      twilioTimeoutMs: env.TWILIO_TIMEOUT_MS,
      databaseTimeoutMs: env.DATABASE_TIMEOUT_MS,
    }),
  };
}

/** The call runtime plus the relay (streaming) path's collaborators. */
function createRelayRuntime(deps: AppDeps, runtime: CallRuntime): RelayRuntime {
  const { env } = deps;
  return {
    ...runtime,
    // A turn holds its call's lock at most this long if its process dies mid-turn.
    callLocks: createCallLocks({ redis: deps.redis, holdMs: 30_000 }),
    relay: { firstTokenTimeoutMs: env.RELAY_FIRST_TOKEN_TIMEOUT_MS, lockWaitMs: env.RELAY_LOCK_WAIT_MS },
  };
}

/** The orchestrator service (call orchestration) as an Express app, without listening. */
export function buildApp(deps: AppDeps): Express {
  const metrics = deps.metrics ?? createMetrics();
  const runtime = createCallRuntime(deps, metrics);
  const { app, finish } = createServiceApp({
    service: SERVICE_NAME,
    logger: deps.logger,
    readinessChecks: { postgres: postgresCheck(deps.pool), redis: redisCheck(deps.redis) },
    // Served on METRICS_PORT (main.ts), without a service token: scrapers cannot mint one.
    metricsRegistry: metrics.registry,
  });
  mountCallRoutes(app, { runtime, metrics, jwks: deps.env.SERVICE_JWKS });
  app.use(relayRoutes({ runtime: createRelayRuntime(deps, runtime), jwks: deps.env.SERVICE_JWKS }));
  return finish();
}

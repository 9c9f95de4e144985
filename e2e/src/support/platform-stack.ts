import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateServiceKeyPair } from '@neurosphere/auth';
import type { ServicePrivateJwk } from '@neurosphere/auth';
import { parseKeyring } from '@neurosphere/db';
import type { Keyring } from '@neurosphere/db';
import { requireTestDatabaseEnv } from '@neurosphere/db/testing';
import type { TestDatabaseEnv } from '@neurosphere/db/testing';
import {
  freePort,
  startFakeElevenLabs,
  startFakeOpenAI,
  startFakeServer,
  startFakeTwilio,
  uniqueAccountSid,
  uniqueSuffix,
} from '@neurosphere/testing';
import type { ChatHandler, FakeElevenLabs, FakeOpenAI, FakeServer, FakeTwilio } from '@neurosphere/testing';
import { startService, stopServices, waitUntilReady } from './service-processes';
import type { ServiceProcess } from './service-processes';

/**
 * The live-call part of the platform as separate processes: the real gateway, orchestrator,
 * memory app and memory worker, on the test's PostgreSQL and Redis, with OpenAI, ElevenLabs and
 * Twilio replaced by fake servers on 127.0.0.1 (the apps run their real SDKs against them). The
 * sms service is a fake unless `withSms`; `adminApiEnv` adds the real admin-api (inbox,
 * notifications, and platform operations against the same fake Twilio, PUBLIC_BASE_URL the gateway's).
 */
export interface PlatformStack {
  gatewayUrl: string;
  /** The admin-api's URL, when the stack was asked to run it (options.adminApiEnv). */
  adminApiUrl?: string;
  /** The real sms service (withSms), else undefined. */
  smsUrl?: string;
  /** Private keys the services sign with (to call a service as another would). */
  serviceKeys: Record<string, ServicePrivateJwk>;
  platformTwilioToken: string;
  byokKeyring: Keyring;
  openai: FakeOpenAI;
  elevenLabs: FakeElevenLabs;
  twilio: FakeTwilio;
  sms: FakeServer;
  services: ServiceProcess[];
  stop(): Promise<void>;
}

export interface PlatformStackOptions {
  openai: ChatHandler;
  gatewayEnv?: Record<string, string>;
  /** Also run the admin-api (inbox, notifications, platform operations), with these variables on top of the stack's. */
  adminApiEnv?: Record<string, string>;
  /** Another database than the test run's (e.g. a fresh one: an empty platform). */
  database?: TestDatabaseEnv;
  /** Another Redis than REDIS_URL's. */
  redisUrl?: string;
  /** Run the real sms service instead of the fake one. */
  withSms?: boolean;
  /** The platform's Twilio account on the fake Twilio (registered there, so requests are authenticated); random otherwise. */
  platformTwilioAccount?: { accountSid: string; authToken: string };
  /** The fake Twilio to use (the caller keeps it to set up accounts and numbers). */
  twilio?: FakeTwilio;
  /** How long every service together may take to answer /readyz (default 90 s); more where the stack starts beside others. */
  readyTimeoutMs?: number;
}

export async function startPlatformStack(options: PlatformStackOptions): Promise<PlatformStack> {
  const db = options.database ?? requireTestDatabaseEnv();
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const runId = uniqueSuffix();

  const [openai, elevenLabs, twilio, sms] = await Promise.all([
    startFakeOpenAI(options.openai),
    startFakeElevenLabs(),
    options.twilio ?? startFakeTwilio(),
    startFakeServer({
      'POST /v1/messages': () => ({ status: 503, body: { success: false, error: 'not in this test', code: 'UNAVAILABLE' } }),
    }),
  ]);

  const names = ['gateway', 'orchestrator', 'memory', 'worker', 'sms', 'admin-api'] as const;
  const keys = Object.fromEntries(
    await Promise.all(names.map(async (name) => [name, await generateServiceKeyPair(`${name}-e2e-${runId}`)] as const)),
  ) as Record<(typeof names)[number], { privateJwk: ServicePrivateJwk; publicJwk: unknown }>;
  const jwks = JSON.stringify({ keys: names.map((name) => keys[name].publicJwk) });
  const byokKeys = { [`e2e-${runId}`]: randomBytes(32).toString('base64') };
  const byokKeyring = parseKeyring(JSON.stringify(byokKeys), `e2e-${runId}`);
  const platformTwilio = options.platformTwilioAccount ?? { accountSid: uniqueAccountSid(), authToken: randomBytes(16).toString('hex') };
  const platformTwilioToken = platformTwilio.authToken;
  const [gatewayPort, orchestratorPort, memoryPort, smsPort, adminApiPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const smsUrl = options.withSms ? `http://127.0.0.1:${smsPort}` : undefined;

  const shared: Record<string, string> = {
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'info',
    DATABASE_URL: db.appUrl,
    DATABASE_PLATFORM_URL: db.platformUrl,
    REDIS_URL: redisUrl,
    SERVICE_JWKS: jwks,
    BYOK_KEYS: JSON.stringify(byokKeys),
    BYOK_ACTIVE_KEY_ID: `e2e-${runId}`,
    ORCHESTRATOR_URL: `http://127.0.0.1:${orchestratorPort}`,
    MEMORY_URL: `http://127.0.0.1:${memoryPort}`,
    SMS_URL: smsUrl ?? sms.url,
    OPENAI_API_KEY: 'sk-e2e-fake',
    OPENAI_BASE_URL: openai.baseURL,
    ELEVENLABS_API_KEY: 'el-e2e-fake',
    ELEVENLABS_BASE_URL: elevenLabs.baseUrl,
    TWILIO_ACCOUNT_SID: platformTwilio.accountSid,
    TWILIO_AUTH_TOKEN: platformTwilioToken,
    TWILIO_API_BASE_URL: twilio.url,
    // This run's queues only: the worker must not pick up another run's jobs, nor leave its own.
    MEMORY_QUEUE_PREFIX: `e2e-${runId}`,
    ORCHESTRATOR_QUEUE_PREFIX: `e2e-${runId}`,
    SMS_QUEUE_PREFIX: `e2e-${runId}`,
    // This test checks who says what, not latency; a slow, loaded CI machine must not turn a
    // correct answer into a fallback. The fault budgets have their own tests in each app.
    ORCHESTRATOR_TIMEOUT_MS: '12000',
    TURN_BUDGET_MS: '10000',
    OPENAI_TIMEOUT_MS: '8000',
    ELEVENLABS_TIMEOUT_MS: '5000',
    MEMORY_CONTEXT_TIMEOUT_MS: '5000',
    REDIS_TIMEOUT_MS: '3000',
    DATABASE_TIMEOUT_MS: '5000',
    TENANT_LOOKUP_TIMEOUT_MS: '5000',
    SUMMARIZE_BACKOFF_MS: '500',
  };
  const key = (name: (typeof names)[number]) => JSON.stringify(keys[name].privateJwk);

  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const services = [
    startService({
      name: 'memory',
      app: 'memory',
      entry: 'src/main.ts',
      port: memoryPort,
      env: { ...shared, PORT: String(memoryPort), SERVICE_JWT_PRIVATE_JWK: key('memory') },
    }),
    startService({
      name: 'memory-worker',
      app: 'memory',
      entry: 'src/worker.ts',
      env: { ...shared, SERVICE_JWT_PRIVATE_JWK: key('worker') },
    }),
    startService({
      name: 'orchestrator',
      app: 'orchestrator',
      entry: 'src/main.ts',
      port: orchestratorPort,
      env: { ...shared, PORT: String(orchestratorPort), SERVICE_JWT_PRIVATE_JWK: key('orchestrator') },
    }),
    startService({
      name: 'gateway',
      app: 'gateway',
      entry: 'src/main.ts',
      port: gatewayPort,
      // The gateway is reached directly here, so its public URL is where it listens.
      env: {
        ...shared,
        PORT: String(gatewayPort),
        SERVICE_JWT_PRIVATE_JWK: key('gateway'),
        PUBLIC_BASE_URL: gatewayUrl,
        ...options.gatewayEnv,
      },
    }),
  ];
  const gatewayPublic = { PUBLIC_BASE_URL: gatewayUrl };
  if (smsUrl) {
    services.push(
      startService({
        name: 'sms',
        app: 'sms',
        entry: 'src/main.ts',
        port: smsPort,
        env: { ...shared, ...gatewayPublic, PORT: String(smsPort), SERVICE_JWT_PRIVATE_JWK: key('sms') },
      }),
    );
  }
  const adminApiUrl = options.adminApiEnv ? `http://127.0.0.1:${adminApiPort}` : undefined;
  if (options.adminApiEnv) {
    services.push(
      startService({
        name: 'admin-api',
        app: 'admin-api',
        entry: 'src/main.ts',
        port: adminApiPort,
        env: {
          ...shared,
          ...gatewayPublic,
          PORT: String(adminApiPort),
          SERVICE_JWT_PRIVATE_JWK: key('admin-api'),
          ADMIN_JWT_SECRET: randomBytes(48).toString('base64'),
          NOTIFICATIONS_QUEUE_PREFIX: `e2e-${runId}`,
          OFFBOARDING_ARCHIVE_DIR: path.join(tmpdir(), `e2e-offboarding-${runId}`),
          ...options.adminApiEnv,
        },
      }),
    );
  }

  const stop = async () => {
    await stopServices(services);
    await Promise.all([openai.close(), elevenLabs.close(), twilio.close(), sms.close()]);
  };
  try {
    await waitUntilReady(services, options.readyTimeoutMs);
  } catch (error) {
    await stop();
    throw error;
  }
  const serviceKeys = Object.fromEntries(names.map((name) => [name, keys[name].privateJwk]));
  return {
    gatewayUrl,
    ...(adminApiUrl ? { adminApiUrl } : {}),
    ...(smsUrl ? { smsUrl } : {}),
    serviceKeys,
    platformTwilioToken,
    byokKeyring,
    openai,
    elevenLabs,
    twilio,
    sms,
    services,
    stop,
  };
}

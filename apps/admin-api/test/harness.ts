// Integration-test wiring: the real app against the real PostgreSQL and Redis named by the
// environment (DATABASE_URL, DATABASE_PLATFORM_URL, DATABASE_OWNER_URL, REDIS_URL).
import type { AdminPrincipal, MembershipRoleName } from '@neurosphere/contracts';
import { loadEnv, url } from '@neurosphere/config';
import { createDb, parseKeyring, withPlatform } from '@neurosphere/db';
import type { Db, Keyring } from '@neurosphere/db';
import { createTestAdminUser, ensureTestTemplateVersion, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import type { TestDatabaseEnv } from '@neurosphere/db/testing';
import { createServiceTokenSigner, createServiceTokenVerifier, generateServiceKeyPair } from '@neurosphere/auth';
import { encodeSpeechTextHeader } from '@neurosphere/contracts';
import { createLogger } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import { startFakeElevenLabs, startFakeOpenAI, startFakeTwilio } from '@neurosphere/testing';
import type { FakeElevenLabs, FakeOpenAI, FakeTwilio, FakeTwilioAccount } from '@neurosphere/testing';
import { createMailer } from '@neurosphere/mail';
import { startFakeServer } from '@neurosphere/testing';
import type { FakeServer } from '@neurosphere/testing';
import type { Express } from 'express';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import request from 'supertest';
import { z } from 'zod';
import { buildApp } from '../src/app';
import type { AppDeps } from '../src/app';
import { createOrchestratorClient } from '../src/clients/orchestrator-client';
import type { OrchestratorClient } from '../src/clients/orchestrator-client';
import { createAdminTokens } from '../src/domain/auth/admin-token';
import type { AdminTokens } from '../src/domain/auth/admin-token';
import type { AuthSettings, LoginThrottleSettings } from '../src/domain/auth/auth-settings';
import { hashPassword } from '../src/domain/auth/password-hash';
import { createPlatformOperations } from '../src/domain/platform/create-platform-operations';
import type { PlatformOperations } from '../src/domain/platform/platform-operations';
import { createNotificationsQueue } from '../src/jobs/notifications-queue';
import type { NotificationsQueue } from '../src/jobs/notifications-queue';
import { createAdminApiMetrics } from '../src/metrics';
import type { AdminApiMetrics } from '../src/metrics';

/** The console's origin in tests: the one origin allowed to use the session cookie. */
export const CONSOLE_ORIGIN = 'http://console.test';

export interface Harness {
  app: Express;
  db: Db;
  platformDb: Db;
  pool: Pool;
  redis: Redis;
  tokens: AdminTokens;
  settings: AuthSettings;
  metrics: AdminApiMetrics;
  operations: PlatformOperations;
  /** What the app was built from (to build another one, e.g. with another Redis). */
  appDeps: AppDeps;
  /** The notifications queue's BullMQ prefix (unique to this harness): a test's worker consumes it. */
  notificationsPrefix: string;
  /** A Redis connection fit for BullMQ workers (maxRetriesPerRequest: null), closed with the harness. */
  queueRedis: Redis;
  close(): Promise<void>;
}

/** The public base URL the platform harness points numbers' webhooks at. */
export const PUBLIC_BASE_URL = 'https://voice.platform.test';

/**
 * Platform operations with nothing configured (no Twilio, no keyring, no public URL): Twilio work
 * answers 503. For tests that do not provision anything.
 */
function unconfiguredOperations(logger: Logger): PlatformOperations {
  return createPlatformOperations({ TWILIO_TIMEOUT_MS: 5_000, byokKeyring: undefined }, logger);
}

export interface HarnessOptions {
  /** Where mail goes (a catcher's smtpUrl); without it no SMTP server is configured. */
  smtpUrl?: string;
  loginThrottle?: Partial<LoginThrottleSettings>;
  settings?: Partial<Omit<AuthSettings, 'loginThrottle'>>;
  trustProxyHops?: number;
  tenantAccess?: AppDeps['tenantAccess'];
  logger?: Logger;
  /** Twilio, keyring, public URL (startPlatformHarness); default: nothing configured. */
  operations?: PlatformOperations;
  /** Another database than the run's (a fresh one, for tests that need an empty platform). */
  database?: TestDatabaseEnv;
  /** The chat models tenants may choose (default: the platform's list). */
  allowedModels?: readonly string[];
  /** Speaks voice previews (a FakeOrchestrator's client); without it previews answer 503. */
  orchestrator?: OrchestratorClient;
  /** The memory service's erasure client (a real client against a fake memory server). */
  memory?: AppDeps['memory'];
  /** Attempts and first backoff of notification deliveries (default 3 attempts from 50 ms). */
  notificationRetry?: { attempts: number; backoffMs: number };
  /** Webhooks to private addresses (default true: the tests' receivers listen on 127.0.0.1). */
  allowPrivateWebhookAddresses?: boolean;
}

export function startHarness(options: HarnessOptions = {}): Harness {
  const { appUrl, platformUrl } = options.database ?? requireTestDatabaseEnv();
  const { REDIS_URL } = loadEnv(z.object({ REDIS_URL: url }));
  const logger = options.logger ?? createLogger({ service: 'admin-api-test', level: 'silent' });
  const operations = options.operations ?? unconfiguredOperations(logger);
  const pool = new Pool({ connectionString: appUrl, max: 2 });
  // lazyConnect: a client no test used never opens a socket, so quit() leaves nothing behind.
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  const db = createDb({ url: appUrl, poolMax: 4 });
  const platformDb = createDb({ url: platformUrl, poolMax: 4 });
  const secret = randomBytes(32).toString('base64');
  const tokens = createAdminTokens(secret);
  const settings: AuthSettings = {
    consoleUrl: CONSOLE_ORIGIN,
    allowedOrigins: [CONSOLE_ORIGIN],
    secureCookies: true,
    sessionIdleTimeoutSeconds: 3600,
    sessionMaxAgeSeconds: 86_400,
    invitationTtlSeconds: 3600,
    passwordResetTtlSeconds: 3600,
    ...options.settings,
    // Each app counts failures under its own prefix, so test files never lock each other out.
    loginThrottle: {
      maxFailuresPerAccount: 5,
      maxFailuresPerAddress: 1000,
      windowSeconds: 900,
      lockoutSeconds: 900,
      keyPrefix: `test-login:${randomUUID()}`,
      ...options.loginThrottle,
    },
  };
  const metrics = createAdminApiMetrics();
  const mailer = createMailer({
    transport: options.smtpUrl ? { smtp: options.smtpUrl, from: 'Admin <no-reply@admin.test>', timeoutMs: 5000 } : null,
    logger,
    onFailure: (kind) => metrics.mailFailed.inc({ kind }),
  });
  // The queue connects on its first use only, so test files that never replay open nothing.
  const queueRedis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: null });
  const notificationsPrefix = `test-notifications-${randomUUID()}`;
  let notificationsQueue: NotificationsQueue | undefined;
  const notifications = {
    enqueueDelivery: (payload: Parameters<NotificationsQueue['enqueueDelivery']>[0]) => {
      notificationsQueue ??= createNotificationsQueue({
        connection: queueRedis,
        prefix: notificationsPrefix,
        ...(options.notificationRetry ?? { attempts: 3, backoffMs: 50 }),
      });
      return notificationsQueue.enqueueDelivery(payload);
    },
  };
  const appDeps: AppDeps = {
    logger,
    pool,
    redis,
    db,
    platformDb,
    tokens,
    csrfSecret: secret,
    mailer,
    settings,
    metrics,
    trustProxyHops: options.trustProxyHops,
    tenantAccess: options.tenantAccess,
    operations,
    ...(options.allowedModels ? { allowedModels: options.allowedModels } : {}),
    ...(options.orchestrator ? { orchestrator: options.orchestrator } : {}),
    notifications,
    memory: options.memory,
    webhookDestinations: { allowPrivateAddresses: options.allowPrivateWebhookAddresses ?? true },
  };
  return {
    app: buildApp(appDeps),
    appDeps,
    db,
    platformDb,
    pool,
    redis,
    tokens,
    settings,
    metrics,
    operations,
    notificationsPrefix,
    queueRedis,
    async close() {
      mailer.close();
      await notificationsQueue?.queue.close();
      if (queueRedis.status === 'wait') queueRedis.disconnect();
      else if (queueRedis.status !== 'end') await queueRedis.quit();
      await Promise.all([pool.end(), db.$disconnect(), platformDb.$disconnect()]);
      if (redis.status !== 'end' && redis.status !== 'wait') await redis.quit();
      else if (redis.status === 'wait') redis.disconnect();
    },
  };
}

export interface TestAdmin {
  principal: AdminPrincipal;
  email: string;
  password: string;
}

/** An admin user with a real argon2 password and the given memberships, created via withPlatform. */
export async function createAdmin(
  platformDb: Db,
  options: {
    isPlatformAdmin?: boolean;
    memberships?: { customerId: number; role: MembershipRoleName }[];
    /** true: a random password; a string: that one; default none (tests that sign tokens directly need none). */
    password?: string | boolean;
  } = {},
): Promise<TestAdmin> {
  const password = options.password === true ? `pw-${randomBytes(12).toString('hex')}` : options.password || null;
  const user = await createTestAdminUser(platformDb, {
    isPlatformAdmin: options.isPlatformAdmin ?? false,
    passwordHash: password === null ? null : await hashPassword(password),
  });
  const memberships = options.memberships ?? [];
  if (memberships.length > 0) {
    await withPlatform(platformDb, { actor: 'test', action: 'test.create_memberships' }, (tx) =>
      tx.membership.createMany({ data: memberships.map((m) => ({ customerId: m.customerId, adminUserId: user.id, role: m.role })) }),
    );
  }
  return {
    email: user.email,
    password: password ?? '',
    principal: {
      id: user.id,
      email: user.email,
      is_platform_admin: user.isPlatformAdmin,
      memberships: memberships.map((m) => ({ customer_id: m.customerId, role: m.role })),
    },
  };
}

/**
 * `Authorization` header value for an admin, signed directly (login itself is tested in
 * auth.int), in a session id of its own that was never ended.
 */
export async function bearer(tokens: AdminTokens, admin: TestAdmin): Promise<string> {
  return `Bearer ${await tokens.sign(admin.principal, randomUUID())}`;
}

/** Reads rows as the table owner would not: through withPlatform, like every cross-tenant read. */
export function platformRead<T>(platformDb: Db, work: Parameters<typeof withPlatform<T>>[2]): Promise<T> {
  return withPlatform(platformDb, { actor: 'test', action: 'test.read' }, work);
}

export interface PlatformHarness extends Harness {
  /** The fake Twilio REST API the real SDK talks to; its platform account is `platformAccount`. */
  twilio: FakeTwilio;
  platformAccount: FakeTwilioAccount;
  openai: FakeOpenAI;
  elevenLabs: FakeElevenLabs;
  keyring: Keyring;
  /** Where offboarding archives go. */
  archiveDir: string;
}

/**
 * The harness with platform operations configured: Twilio, OpenAI and ElevenLabs are fake servers
 * on 127.0.0.1 that the real SDKs talk to, BYOK_KEYS is a throwaway keyring, PUBLIC_BASE_URL is
 * PUBLIC_BASE_URL above and offboarding archives go to a temporary folder.
 */
export async function startPlatformHarness(options: Omit<HarnessOptions, 'operations'> = {}): Promise<PlatformHarness> {
  const [twilio, openai, elevenLabs] = await Promise.all([
    startFakeTwilio(),
    startFakeOpenAI(() => ({ content: 'ok' })),
    startFakeElevenLabs(),
  ]);
  const platformAccount = twilio.addAccount({ friendlyName: 'platform' });
  const keyring = parseKeyring(JSON.stringify({ 'test-platform': randomBytes(32).toString('base64') }), 'test-platform');
  const archiveDir = mkdtempSync(path.join(tmpdir(), 'admin-api-offboarding-'));
  const logger = options.logger ?? createLogger({ service: 'admin-api-test', level: 'silent' });
  const operations = createPlatformOperations(
    {
      PUBLIC_BASE_URL,
      TWILIO_ACCOUNT_SID: platformAccount.sid,
      TWILIO_AUTH_TOKEN: platformAccount.authToken,
      TWILIO_API_BASE_URL: twilio.url,
      TWILIO_TIMEOUT_MS: 5_000,
      OPENAI_BASE_URL: openai.baseURL,
      ELEVENLABS_BASE_URL: elevenLabs.baseUrl,
      OFFBOARDING_ARCHIVE_DIR: archiveDir,
      byokKeyring: keyring,
    },
    logger,
  );
  const harness = startHarness({ ...options, operations, logger });
  return {
    ...harness,
    twilio,
    platformAccount,
    openai,
    elevenLabs,
    keyring,
    archiveDir,
    async close() {
      await harness.close();
      await Promise.all([twilio.close(), openai.close(), elevenLabs.close()]);
    },
  };
}

/** The repository root (this file is apps/admin-api/test/). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * Runs a command line exactly as the docs show it, from the repository root, with only PATH and
 * `env`; resolves with its exit code and output (never rejects on a non-zero exit).
 */
export function runCommand(
  commandLine: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', commandLine], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${commandLine} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/**
 * A tenant onboarded through POST /v1/platform/tenants (a new sub-account and a 212 number unless
 * `document` says otherwise); returns the response body.
 */
export async function onboardTestTenant(harness: PlatformHarness, authorization: string, document: Record<string, unknown> = {}) {
  const template = await ensureTestTemplateVersion(harness.platformDb);
  const suffix = randomBytes(6).toString('hex');
  const response = await request(harness.app)
    .post('/v1/platform/tenants')
    .set('authorization', authorization)
    .set('idempotency-key', `test-${suffix}`)
    .send({
      business_name: `Test Agency ${suffix}`,
      industry: template.industry,
      template_version: template.version,
      agent_name: 'Sam',
      greeting: `Hello from ${suffix}`,
      number: { kind: 'search', area_code: '212' },
      owner_email: `owner-${suffix}@test.example`,
      ...document,
    });
  if (response.status !== 201) throw new Error(`onboarding failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as {
    tenant: { customer_id: number };
    number: { phone_number: string; twilio_sid: string };
    twilio_account: { kind: string; account_sid: string };
  };
}

export interface FakeOrchestrator {
  server: FakeServer;
  /** The admin-api's real client, signing service tokens the fake verifies. */
  client: OrchestratorClient;
  close(): Promise<void>;
}

/**
 * The orchestrator's voice-preview route, as its contract has it: it checks the admin-api service
 * token is for the tenant in the body and answers "audio" naming the tenant and voice. An
 * after-hours preview is refused with 422, as the orchestrator does for a tenant without an
 * after-hours greeting.
 */
export async function startFakeOrchestrator(): Promise<FakeOrchestrator> {
  const keys = await generateServiceKeyPair('admin-api-preview-test');
  const verify = createServiceTokenVerifier({ audience: 'orchestrator', allowedIssuers: ['admin-api'], jwks: { keys: [keys.publicJwk] } });
  const server = await startFakeServer({
    'POST /v1/voice-preview': async (recorded) => {
      const token = String(recorded.headers.authorization ?? '').replace(/^Bearer /, '');
      const auth = await verify(token).catch(() => null);
      const body = recorded.body as { customer_id: number; voice_id?: string; greeting: string };
      if (!auth || auth.customerId !== body.customer_id)
        return { status: 401, body: { success: false, error: 'bad token', code: 'UNAUTHENTICATED' } };
      if (body.greeting === 'after_hours') {
        return {
          status: 422,
          body: {
            success: false,
            error: 'There is no after-hours greeting to preview',
            code: 'UNPROCESSABLE',
            details: [{ path: 'greeting', message: 'no after_hours_greeting is set' }],
          },
        };
      }
      const words = `Greeting of ${body.customer_id} in ${body.voice_id ?? 'the tenant voice'}`;
      return {
        status: 200,
        headers: { 'content-type': 'audio/mpeg', 'x-speech-text': encodeSpeechTextHeader(words) },
        body: Buffer.from(`mp3:${words}`),
      };
    },
  });
  const client = createOrchestratorClient({
    baseUrl: server.url,
    signer: createServiceTokenSigner({ issuer: 'admin-api', privateJwk: keys.privateJwk }),
    timeoutMs: 5000,
  });
  return { server, client, close: () => server.close() };
}

// Integration-test wiring: the real app against the real PostgreSQL and Redis named by the
// environment (DATABASE_URL, DATABASE_PLATFORM_URL, DATABASE_OWNER_URL, REDIS_URL).
import type { AdminPrincipal, MembershipRoleName } from '@neurosphere/contracts';
import { loadEnv, url } from '@neurosphere/config';
import { createDb, withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { createTestAdminUser, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { createServiceTokenSigner, createServiceTokenVerifier, generateServiceKeyPair } from '@neurosphere/auth';
import { encodeSpeechTextHeader } from '@neurosphere/contracts';
import { createLogger } from '@neurosphere/http';
import type { Logger } from '@neurosphere/http';
import { createMailer } from '@neurosphere/mail';
import { startFakeServer } from '@neurosphere/testing';
import type { FakeServer } from '@neurosphere/testing';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { z } from 'zod';
import { buildApp } from '../src/app';
import type { AppDeps } from '../src/app';
import { createOrchestratorClient } from '../src/clients/orchestrator-client';
import type { OrchestratorClient } from '../src/clients/orchestrator-client';
import { createAdminTokens } from '../src/domain/auth/admin-token';
import type { AdminTokens } from '../src/domain/auth/admin-token';
import type { AuthSettings, LoginThrottleSettings } from '../src/domain/auth/auth-settings';
import { hashPassword } from '../src/domain/auth/password-hash';
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
  /** What the app was built from (to build another one, e.g. with another Redis). */
  appDeps: AppDeps;
  /** The notifications queue's BullMQ prefix (unique to this harness): a test's worker consumes it. */
  notificationsPrefix: string;
  /** A Redis connection fit for BullMQ workers (maxRetriesPerRequest: null), closed with the harness. */
  queueRedis: Redis;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Where mail goes (a catcher's smtpUrl); without it no SMTP server is configured. */
  smtpUrl?: string;
  loginThrottle?: Partial<LoginThrottleSettings>;
  settings?: Partial<Omit<AuthSettings, 'loginThrottle'>>;
  trustProxyHops?: number;
  tenantAccess?: AppDeps['tenantAccess'];
  logger?: Logger;
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
  const { appUrl, platformUrl } = requireTestDatabaseEnv();
  const { REDIS_URL } = loadEnv(z.object({ REDIS_URL: url }));
  const logger = options.logger ?? createLogger({ service: 'admin-api-test', level: 'silent' });
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
    loginThrottle: { maxFailuresPerAccount: 5, maxFailuresPerAddress: 1000, windowSeconds: 900, lockoutSeconds: 900, keyPrefix: `test-login:${randomUUID()}`, ...options.loginThrottle },
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
      notificationsQueue ??= createNotificationsQueue({ connection: queueRedis, prefix: notificationsPrefix, ...(options.notificationRetry ?? { attempts: 3, backoffMs: 50 }) });
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
      if (!auth || auth.customerId !== body.customer_id) return { status: 401, body: { success: false, error: 'bad token', code: 'UNAUTHENTICATED' } };
      if (body.greeting === 'after_hours') {
        return {
          status: 422,
          body: { success: false, error: 'There is no after-hours greeting to preview', code: 'UNPROCESSABLE', details: [{ path: 'greeting', message: 'no after_hours_greeting is set' }] },
        };
      }
      const words = `Greeting of ${body.customer_id} in ${body.voice_id ?? 'the tenant voice'}`;
      return { status: 200, headers: { 'content-type': 'audio/mpeg', 'x-speech-text': encodeSpeechTextHeader(words) }, body: Buffer.from(`mp3:${words}`) };
    },
  });
  const client = createOrchestratorClient({
    baseUrl: server.url,
    signer: createServiceTokenSigner({ issuer: 'admin-api', privateJwk: keys.privateJwk }),
    timeoutMs: 5000,
  });
  return { server, client, close: () => server.close() };
}

import { servicePrivateJwkSchema, serviceJwksSchema } from '@neurosphere/auth';
import { booleanFlag, commaList, jsonString, listenHost, loadEnv, logLevel, metricsPort, port, url } from '@neurosphere/config';
import { DEFAULT_ALLOWED_CHAT_MODELS } from '@neurosphere/contracts';
import { byokEnvShape, withByokKeyring } from '@neurosphere/db';
import { mailEnvShape } from '@neurosphere/mail';
import { z } from 'zod';
import type { AuthSettings } from './domain/auth/auth-settings';

/**
 * The admin access token secret (HS256). Only this service signs and verifies admin tokens, so a
 * symmetric key needs no distribution; keeping it apart from the service JWT keys means a human
 * token can never pass as a service token or the other way round. 32 bytes = HS256's key size.
 */
const adminJwtSecret = z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 48)');

/**
 * Twilio, provider and platform settings for the platform's operations (onboarding, numbers,
 * tenant keys, offboarding). Shared by the service and the CLIs that run those operations.
 */
const platformOperationsShape = {
  // The gateway's public origin: every number bought or attached gets its webhooks pointed here. Unset: number provisioning answers 503.
  PUBLIC_BASE_URL: url.transform((value) => value.replace(/\/+$/, '')).optional(),
  // The platform's own Twilio account: creates tenants' sub-accounts and owns platform numbers. Unset: Twilio work answers 503.
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC + 32 hex)')
    .optional(),
  // Auth token of the platform's Twilio account (set together with TWILIO_ACCOUNT_SID).
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  // Another host for Twilio's REST API (https://api.twilio.com is replaced by it); unset in production.
  TWILIO_API_BASE_URL: url.optional(),
  // Longest wait for one Twilio request; past it the operation answers 503 (and resumes when retried).
  TWILIO_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  // OpenAI-compatible API base used to verify tenants' own OpenAI keys; unset = OpenAI's.
  OPENAI_BASE_URL: url.optional(),
  // ElevenLabs API base used to verify tenants' own ElevenLabs keys; unset = ElevenLabs'.
  ELEVENLABS_BASE_URL: url.optional(),
  // Where offboarding writes each tenant's JSON-lines archive before erasing it. Unset: only dry runs.
  OFFBOARDING_ARCHIVE_DIR: z.string().min(1).optional(),
  // BYOK_KEYS / BYOK_ACTIVE_KEY_ID: encrypt tenants' keys and sub-account tokens. Unset: they cannot be stored (503).
  ...byokEnvShape,
};

/** Both Twilio credentials or neither. */
function twilioPairIsComplete(env: { TWILIO_ACCOUNT_SID?: string; TWILIO_AUTH_TOKEN?: string }, ctx: z.RefinementCtx): void {
  if (Boolean(env.TWILIO_ACCOUNT_SID) !== Boolean(env.TWILIO_AUTH_TOKEN)) {
    const missing = env.TWILIO_ACCOUNT_SID ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID';
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [missing], message: 'is required when the other Twilio credential is set' });
  }
}

const seconds = (min: number, max: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a number of seconds' })
    .int('must be a whole number of seconds')
    .min(min, `must be between ${min} and ${max} seconds`)
    .max(max, `must be between ${min} and ${max} seconds`);

const count = (max: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be an integer')
    .min(1, `must be between 1 and ${max}`)
    .max(max, `must be between 1 and ${max}`);

const origin = z
  .string()
  .url('must be URLs')
  .transform((value) => new URL(value).origin);

const DAY = 24 * 60 * 60;

export const envSchema = z
  .object({
    // Port the HTTP server listens on (8200 is this service's place in the platform's port plan).
    PORT: port.default(8200),
    // Internal port serving GET /metrics (Prometheus); unset: none. Never the public PORT.
    METRICS_PORT: metricsPort,
    // Interface to listen on: 127.0.0.1 unless set (the container image sets 0.0.0.0).
    HOST: listenHost,
    // Verbosity of the JSON logs.
    LOG_LEVEL: logLevel.default('info'),
    // "development" prints set-up hints at boot (admins without a password); "production" does not.
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    // PostgreSQL as the neurosphere_app role: row-level security keeps every query inside one tenant.
    DATABASE_URL: url,
    // PostgreSQL as neurosphere_platform, used only through withPlatform: login, onboarding, suspension, templates.
    DATABASE_PLATFORM_URL: url,
    // Redis: queues, caches and rate limits.
    REDIS_URL: url,
    // "true" when REDIS_URL is a node of a Redis Cluster: the client then follows the cluster's slots (docs/architecture.md §7.4).
    REDIS_CLUSTER: booleanFlag.default('false'),
    // Signs and verifies the 15-minute admin access tokens issued by POST /v1/auth/login (HS256).
    ADMIN_JWT_SECRET: adminJwtSecret,
    // This service's Ed25519 private JWK (with kid): signs the short-lived tokens it sends to other services.
    SERVICE_JWT_PRIVATE_JWK: jsonString(servicePrivateJwkSchema),
    // Public keys of every service ({"keys":[...]}): verifies the tokens other services send here.
    SERVICE_JWKS: jsonString(serviceJwksSchema),
    // Chat models a tenant may choose for openai_model (comma-separated); the orchestrator must allow the same list.
    OPENAI_ALLOWED_MODELS: commaList.default(DEFAULT_ALLOWED_CHAT_MODELS.join(',')),
    // The orchestrator: it speaks voice previews with the tenant's speech cache. Unset: previews answer 503.
    ORCHESTRATOR_URL: url.optional(),
    // Longest wait for a voice preview (one short synthesis, or a cache hit).
    ORCHESTRATOR_TIMEOUT_MS: z.coerce
      .number({ invalid_type_error: 'must be a number' })
      .int('must be an integer')
      .positive('must be a positive number')
      .default(5000),

    // Where the web console is: invitation and password-reset links in mails point there (Vite's dev port by default).
    CONSOLE_URL: url.default('http://localhost:5173'),
    // Origins allowed to make state-changing requests with the session cookie (CSRF defence); default: CONSOLE_URL's.
    ADMIN_ALLOWED_ORIGINS: commaList.pipe(z.array(origin)).optional(),
    // false only for plain-http local use: session cookies then lose Secure (and their __Host-/__Secure- name prefixes).
    ADMIN_COOKIE_SECURE: z
      .enum(['true', 'false'])
      .default('true')
      .transform((value) => value === 'true'),
    // Proxies in front of this service whose X-Forwarded-For is believed (0: none; the socket address is the client's).
    ADMIN_TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    // A refresh token unused this long dies, and with it the session (a refresh gives a new token).
    ADMIN_SESSION_IDLE_TIMEOUT_SECONDS: seconds(60, 30 * DAY).default(DAY),
    // A session ends this long after login, however active: the user signs in again.
    ADMIN_SESSION_MAX_AGE_SECONDS: seconds(60, 90 * DAY).default(7 * DAY),
    // Failed logins of one account (email) within the window that lock the account.
    ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT: count(1000).default(5),
    // Failed logins from one source address (any accounts) within the window that lock the address.
    ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS: count(100_000).default(50),
    // The window failures are counted in.
    ADMIN_LOGIN_FAILURE_WINDOW_SECONDS: seconds(1, DAY).default(15 * 60),
    // How long a locked account or address is refused, the right password included.
    ADMIN_LOGIN_LOCKOUT_SECONDS: seconds(1, DAY).default(15 * 60),
    // How long an invitation link stays valid.
    ADMIN_INVITATION_TTL_SECONDS: seconds(60, 30 * DAY).default(7 * DAY),
    // How long a password-reset link stays valid.
    ADMIN_PASSWORD_RESET_TTL_SECONDS: seconds(60, DAY).default(60 * 60),
    ...mailEnvShape,

    // The memory service: erasing a caller goes through it (unset: erasure answers 503).
    MEMORY_URL: url.optional(),
    // The sms service: staff notification texts are sent through it (unset: SMS notifications fail, visibly, in the delivery log).
    SMS_URL: url.optional(),
    // BullMQ key prefix of the notifications queue (tests and second stacks on one Redis use their own; on a Redis Cluster, a hash tag such as {notifications}).
    NOTIFICATIONS_QUEUE_PREFIX: z.string().min(1).optional(),
    // Other services' BullMQ queues in the platform admins' queue view (/v1/platform/queues), each
    // <prefix>:<name> as in Redis (their *_QUEUE_PREFIX and queue name); the notifications queue is always there.
    OPERATOR_QUEUES: commaList
      .pipe(z.array(z.string().regex(/^[^:]+:[^:]+$/, 'must list queues as <prefix>:<name>, e.g. bull:memory')))
      .default('bull:memory,bull:orchestrator,bull:sms-send'),
    // Attempts per notification delivery before it is marked failed (and can be replayed by hand).
    NOTIFICATION_DELIVERY_ATTEMPTS: count(20).default(8),
    // First retry delay of a failed delivery, doubling each attempt (8 attempts from 2 s: about 4 minutes in all).
    NOTIFICATION_RETRY_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(2000),
    // How long a webhook receiver may take to answer one delivery.
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    // Lets webhooks go to loopback and private addresses: development and tests only (receivers on
    // 127.0.0.1). Off, a webhook whose host resolves to such an address is refused.
    WEBHOOK_ALLOW_PRIVATE_ADDRESSES: booleanFlag.default('false'),
    // How often the dispatcher looks for new events even without a NOTIFY (after a lost connection).
    NOTIFICATION_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    ...platformOperationsShape,
  })
  .superRefine(twilioPairIsComplete)
  .transform(withByokKeyring);

export type Env = z.output<typeof envSchema>;

/** Parses the environment; throws one "Invalid environment: ..." line naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return loadEnv(envSchema, source);
}

/** The session, throttling and link settings of an env (main.ts hands them to the app). */
export function authSettingsFromEnv(env: Env): AuthSettings {
  return {
    consoleUrl: env.CONSOLE_URL.replace(/\/+$/, ''),
    allowedOrigins: env.ADMIN_ALLOWED_ORIGINS ?? [new URL(env.CONSOLE_URL).origin],
    secureCookies: env.ADMIN_COOKIE_SECURE,
    sessionIdleTimeoutSeconds: env.ADMIN_SESSION_IDLE_TIMEOUT_SECONDS,
    sessionMaxAgeSeconds: env.ADMIN_SESSION_MAX_AGE_SECONDS,
    invitationTtlSeconds: env.ADMIN_INVITATION_TTL_SECONDS,
    passwordResetTtlSeconds: env.ADMIN_PASSWORD_RESET_TTL_SECONDS,
    loginThrottle: {
      maxFailuresPerAccount: env.ADMIN_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: env.ADMIN_LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: env.ADMIN_LOGIN_FAILURE_WINDOW_SECONDS,
      lockoutSeconds: env.ADMIN_LOGIN_LOCKOUT_SECONDS,
    },
  };
}

/** What `pnpm set-password` needs: the platform connection and, optionally, the password itself. */
export const setPasswordEnvSchema = z.object({
  // PostgreSQL as neurosphere_platform: admin_users is reachable only through withPlatform.
  DATABASE_PLATFORM_URL: url,
  // The new password, for scripted use; without it the CLI prompts on the terminal.
  ADMIN_PASSWORD: z.string().optional(),
});

export type SetPasswordEnv = z.output<typeof setPasswordEnvSchema>;

export function parseSetPasswordEnv(source: Record<string, string | undefined> = process.env): SetPasswordEnv {
  return loadEnv(setPasswordEnvSchema, source);
}

/** What the platform-operation CLIs (create-platform-admin, onboard-tenant, rotate-byok-key) need. */
export const platformCliEnvSchema = z
  .object({
    // PostgreSQL as neurosphere_platform: every platform operation runs through withPlatform.
    DATABASE_PLATFORM_URL: url,
    // Verbosity of the CLI's JSON logs (its results are printed on stdout regardless).
    LOG_LEVEL: logLevel.default('warn'),
    ...platformOperationsShape,
  })
  .superRefine(twilioPairIsComplete)
  .transform(withByokKeyring);

export type PlatformCliEnv = z.output<typeof platformCliEnvSchema>;

export function parsePlatformCliEnv(source: Record<string, string | undefined> = process.env): PlatformCliEnv {
  return loadEnv(platformCliEnvSchema, source);
}

import { servicePrivateJwkSchema, serviceJwksSchema } from '@neurosphere/auth';
import { jsonString, loadEnv, logLevel, port, url } from '@neurosphere/config';
import { byokEnvShape, withByokKeyring } from '@neurosphere/db';
import { z } from 'zod';

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
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC + 32 hex)').optional(),
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

export const envSchema = z
  .object({
  // Port the HTTP server listens on (8200 is this service's place in the platform's port plan).
  PORT: port.default(8200),
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
  // Signs and verifies the 15-minute admin access tokens issued by POST /v1/auth/login (HS256).
  ADMIN_JWT_SECRET: adminJwtSecret,
  // This service's Ed25519 private JWK (with kid): signs the short-lived tokens it sends to other services.
  SERVICE_JWT_PRIVATE_JWK: jsonString(servicePrivateJwkSchema),
  // Public keys of every service ({"keys":[...]}): verifies the tokens other services send here.
  SERVICE_JWKS: jsonString(serviceJwksSchema),
  ...platformOperationsShape,
  })
  .superRefine(twilioPairIsComplete)
  .transform(withByokKeyring);

export type Env = z.output<typeof envSchema>;

/** Parses the environment; throws one "Invalid environment: ..." line naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return loadEnv(envSchema, source);
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

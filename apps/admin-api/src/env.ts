import { servicePrivateJwkSchema, serviceJwksSchema } from '@neurosphere/auth';
import { commaList, jsonString, loadEnv, logLevel, port, url } from '@neurosphere/config';
import { DEFAULT_ALLOWED_CHAT_MODELS } from '@neurosphere/contracts';
import { z } from 'zod';

/**
 * The admin access token secret (HS256). Only this service signs and verifies admin tokens, so a
 * symmetric key needs no distribution; keeping it apart from the service JWT keys means a human
 * token can never pass as a service token or the other way round. 32 bytes = HS256's key size.
 */
const adminJwtSecret = z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 48)');

export const envSchema = z.object({
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
  // Chat models a tenant may choose for openai_model (comma-separated); the orchestrator must allow the same list.
  OPENAI_ALLOWED_MODELS: commaList.default(DEFAULT_ALLOWED_CHAT_MODELS.join(',')),
  // The orchestrator: it speaks voice previews with the tenant's speech cache. Unset: previews answer 503.
  ORCHESTRATOR_URL: url.optional(),
  // Longest wait for a voice preview (one short synthesis, or a cache hit).
  ORCHESTRATOR_TIMEOUT_MS: z.coerce.number({ invalid_type_error: 'must be a number' }).int('must be an integer').positive('must be a positive number').default(5000),
});

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

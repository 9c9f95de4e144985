import { servicePrivateJwkSchema, serviceJwksSchema } from '@neurosphere/auth';
import { jsonString, loadEnv, logLevel, port, url } from '@neurosphere/config';
import { parseKeyring, SecretBoxError } from '@neurosphere/db';
import type { Keyring } from '@neurosphere/db';
import { z } from 'zod';

const milliseconds = z.coerce
  .number({ invalid_type_error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .positive('must be a positive number of milliseconds');

export const envSchema = z
  .object({
    // Port the HTTP server listens on (5000 is this service's place in the platform's port plan).
    PORT: port.default(5000),
    // Verbosity of the JSON logs.
    LOG_LEVEL: logLevel.default('info'),
    // PostgreSQL as the neurosphere_app role: number lookup, then the tenant's own rows through withTenant.
    DATABASE_URL: url,
    // Redis: checked by /readyz (the gateway keeps no call state of its own).
    REDIS_URL: url,
    // This service's Ed25519 private JWK (with kid): signs the short-lived tokens it sends to other services.
    SERVICE_JWT_PRIVATE_JWK: jsonString(servicePrivateJwkSchema),
    // Public keys of every service ({"keys":[...]}): verifies the tokens other services send here.
    SERVICE_JWKS: jsonString(serviceJwksSchema),
    // The public origin Twilio calls (TLS ends at a proxy): signatures are checked against it, TwiML links to it.
    PUBLIC_BASE_URL: url.transform((value) => value.replace(/\/+$/, '')),
    // Auth token of the platform's Twilio account: verifies webhooks for numbers on that account.
    TWILIO_AUTH_TOKEN: z.string(),
    // Where the orchestrator listens (it runs every conversation turn).
    ORCHESTRATOR_URL: url.transform((value) => value.replace(/\/+$/, '')),
    // Where the sms service listens (inbound texts and delivery statuses are handed to it).
    SMS_URL: url.transform((value) => value.replace(/\/+$/, '')),
    // AES-256-GCM keyring ({"<kid>":"<base64 32 bytes>"}) that decrypts BYOK tenants' Twilio auth tokens; optional without BYOK numbers.
    BYOK_KEYS: z.string().min(1).optional(),
    // The key id of BYOK_KEYS new secrets are encrypted with (required with BYOK_KEYS).
    BYOK_ACTIVE_KEY_ID: z.string().min(1).optional(),
    // How long the orchestrator may take for start/turn before the caller gets fallback TwiML (Twilio's budget is 5 s).
    ORCHESTRATOR_TIMEOUT_MS: milliseconds.default(4000),
    // How long the number lookup (PostgreSQL) may take before the caller gets a generic apology.
    TENANT_LOOKUP_TIMEOUT_MS: milliseconds.default(800),
    // How long a resolved number (tenant, status, Twilio token) is reused; suspensions take effect within this.
    TENANT_CACHE_TTL_MS: z.coerce.number({ invalid_type_error: 'must be a number of milliseconds' }).int().nonnegative().default(15000),
    // Timeout for handing SMS webhooks to the sms service.
    SMS_TIMEOUT_MS: milliseconds.default(5000),
    // Timeout for relaying synthesized audio from the orchestrator to Twilio.
    AUDIO_TIMEOUT_MS: milliseconds.default(5000),
  })
  .transform((env, ctx) => {
    // The keyring is parsed at boot, so a malformed one stops the gateway instead of refusing
    // every BYOK tenant's webhooks later.
    let byokKeyring: Keyring | undefined;
    if (env.BYOK_KEYS && !env.BYOK_ACTIVE_KEY_ID) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['BYOK_ACTIVE_KEY_ID'], message: 'is required when BYOK_KEYS is set' });
      return z.NEVER;
    }
    if (env.BYOK_KEYS && env.BYOK_ACTIVE_KEY_ID) {
      try {
        byokKeyring = parseKeyring(env.BYOK_KEYS, env.BYOK_ACTIVE_KEY_ID);
      } catch (error) {
        if (!(error instanceof SecretBoxError)) throw error;
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['BYOK_KEYS'], message: `is invalid (${error.message})` });
        return z.NEVER;
      }
    }
    return { ...env, byokKeyring };
  });

export type Env = z.output<typeof envSchema>;

/** Parses the environment; throws one "Invalid environment: ..." line naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return loadEnv(envSchema, source);
}

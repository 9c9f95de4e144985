import { servicePrivateJwkSchema, serviceJwksSchema } from '@neurosphere/auth';
import { jsonString, listenHost, loadEnv, logLevel, metricsPort, port, url } from '@neurosphere/config';
import { byokEnvShape, withByokKeyring } from '@neurosphere/db';
import { z } from 'zod';

const milliseconds = z.coerce
  .number({ invalid_type_error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .positive('must be a positive number of milliseconds');

export const envSchema = z
  .object({
    // Port the HTTP server listens on (5000 is this service's place in the platform's port plan).
    PORT: port.default(5000),
    // Internal port serving GET /metrics (Prometheus); unset: none. Never the public PORT.
    METRICS_PORT: metricsPort,
    // Interface to listen on: 127.0.0.1 unless set (the container image sets 0.0.0.0).
    HOST: listenHost,
    // Verbosity of the JSON logs.
    LOG_LEVEL: logLevel.default('info'),
    // PostgreSQL as the neurosphere_app role: number lookup, then the tenant's own rows through withTenant.
    DATABASE_URL: url,
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
    // BYOK_KEYS / BYOK_ACTIVE_KEY_ID: decrypt BYOK tenants' Twilio auth tokens; optional without BYOK numbers.
    ...byokEnvShape,
    // How long the orchestrator may take for start/turn before the caller gets fallback TwiML (Twilio's budget is 5 s).
    ORCHESTRATOR_TIMEOUT_MS: milliseconds.default(4000),
    // How long the number lookup (PostgreSQL) may take before the caller gets a generic apology.
    TENANT_LOOKUP_TIMEOUT_MS: milliseconds.default(800),
    // How long a resolved number (tenant, status, Twilio token) is reused before it is refreshed (in the
    // background, up to twice this old); suspensions take effect within this.
    TENANT_CACHE_TTL_MS: z.coerce.number({ invalid_type_error: 'must be a number of milliseconds' }).int().nonnegative().default(15000),
    // Timeout for handing SMS webhooks to the sms service.
    SMS_TIMEOUT_MS: milliseconds.default(5000),
    // Timeout for relaying synthesized audio from the orchestrator to Twilio.
    AUDIO_TIMEOUT_MS: milliseconds.default(5000),
    // ConversationRelay sockets: messages per second past which a socket is closed as a flood (4429).
    RELAY_MAX_MESSAGES_PER_SECOND: z.coerce.number().int().positive().default(50),
    // How long Twilio may take to send `setup` after the socket opens.
    RELAY_SETUP_TIMEOUT_MS: milliseconds.default(10000),
    // Silence after the agent's last token before the agent re-prompts (0: never). Counts Twilio's speaking time too.
    RELAY_SILENCE_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(12000),
  })
  .transform(withByokKeyring);

export type Env = z.output<typeof envSchema>;

/** Parses the environment; throws one "Invalid environment: ..." line naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return loadEnv(envSchema, source);
}

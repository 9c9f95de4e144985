import { servicePrivateJwkSchema, serviceJwksSchema } from '@neurosphere/auth';
import { booleanFlag, jsonString, listenHost, loadEnv, logLevel, metricsPort, port, url } from '@neurosphere/config';
import { byokEnvShape, withByokKeyring } from '@neurosphere/db';
import { z } from 'zod';

const positiveInt = (max: number) =>
  z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .int('must be an integer')
    .min(1, `must be between 1 and ${max}`)
    .max(max, `must be between 1 and ${max}`);

export const envSchema = z
  .object({
    // Port the HTTP server listens on (3000 is this service's place in the platform's port plan).
    PORT: port.default(3000),
    // Internal port serving GET /metrics (Prometheus); unset: none. Never the public PORT.
    METRICS_PORT: metricsPort,
    // Interface to listen on: 127.0.0.1 unless set (the container image sets 0.0.0.0).
    HOST: listenHost,
    // Verbosity of the JSON logs.
    LOG_LEVEL: logLevel.default('info'),
    // PostgreSQL as the neurosphere_app role: row-level security keeps every query inside one tenant.
    DATABASE_URL: url,
    // Connections in this process's PostgreSQL pool (HTTP handlers and the send worker share it; the
    // worker batches its writes per tenant, so it needs far fewer than SMS_WORKER_CONCURRENCY).
    DATABASE_POOL_MAX: positiveInt(200).default(20),
    // Redis: the send queue (BullMQ) and the per-tenant rate limits.
    REDIS_URL: url,
    // "true" when REDIS_URL is a node of a Redis Cluster: the client then follows the cluster's slots (docs/architecture.md §7.4).
    REDIS_CLUSTER: booleanFlag.default('false'),
    // This service's Ed25519 private JWK (with kid): signs the short-lived tokens it sends to other services.
    SERVICE_JWT_PRIVATE_JWK: jsonString(servicePrivateJwkSchema),
    // Public keys of every service ({"keys":[...]}): verifies the tokens other services send here.
    SERVICE_JWKS: jsonString(serviceJwksSchema),
    // The gateway's public URL: Twilio posts delivery status to <PUBLIC_BASE_URL>/sms/status. Unset: no status callbacks.
    PUBLIC_BASE_URL: url.optional(),
    // The platform's Twilio account, used for numbers with twilio_account = platform. Unset: those texts fail (recorded as failed, PLATFORM_TWILIO_NOT_CONFIGURED).
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC + 32 hex)')
      .optional(),
    // Auth token of the platform's Twilio account (set together with TWILIO_ACCOUNT_SID).
    TWILIO_AUTH_TOKEN: z.string().optional(),
    // Another host for Twilio's REST API (https://api.twilio.com is replaced by it); unset in production.
    TWILIO_API_BASE_URL: url.optional(),
    // BYOK_KEYS / BYOK_ACTIVE_KEY_ID: decrypt tenants' own Twilio credentials. Unset: BYOK numbers cannot send.
    ...byokEnvShape,
    // Parallel send jobs in this process (the send worker runs inside the sms service). Each mostly
    // waits on Twilio's API, so throughput ≈ concurrency / Twilio latency; Twilio caps concurrent
    // requests per account (~100), beyond which it answers 429 (retried).
    SMS_WORKER_CONCURRENCY: positiveInt(1000).default(100),
    // BullMQ key prefix of the send queue (separates environments sharing one Redis).
    SMS_QUEUE_PREFIX: z
      .string()
      .regex(/^[^:]+$/, 'must not contain ":"')
      .default('bull'),
    // Memory service, for the caller context of AI replies to inbound texts. Unset: replies without context.
    MEMORY_URL: url.optional(),
    // OpenAI key for AI replies to inbound texts (tenants with sms_ai_reply_enabled). Unset: no AI replies.
    OPENAI_API_KEY: z.string().optional(),
    // Another OpenAI-compatible endpoint; unset = OpenAI's.
    OPENAI_BASE_URL: url.optional(),
    // Model for AI replies when the tenant has no customers.openai_model.
    SMS_AI_MODEL: z.string().default('gpt-4o-mini'),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TWILIO_ACCOUNT_SID) !== Boolean(env.TWILIO_AUTH_TOKEN)) {
      const missing = env.TWILIO_ACCOUNT_SID ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID';
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [missing], message: 'is required when the other Twilio credential is set' });
    }
  })
  .transform(withByokKeyring);

export type Env = z.output<typeof envSchema>;

/** Parses the environment; throws one "Invalid environment: ..." line naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return loadEnv(envSchema, source);
}

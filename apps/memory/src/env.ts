import { servicePrivateJwkSchema, serviceJwksSchema } from '@neurosphere/auth';
import { booleanFlag, jsonString, listenHost, loadEnv, logLevel, metricsPort, port, url } from '@neurosphere/config';
import { byokEnvShape, withByokKeyring } from '@neurosphere/db';
import { z } from 'zod';

/** A positive whole number (milliseconds, counts). */
const positiveInt = z.coerce
  .number({ invalid_type_error: 'must be a number' })
  .int('must be an integer')
  .positive('must be a positive number');

export const envSchema = z
  .object({
    // Port the HTTP server listens on (8100 is this service's place in the platform's port plan).
    PORT: port.default(8100),
    // Internal port serving GET /metrics (Prometheus); unset: none. Never the public PORT.
    METRICS_PORT: metricsPort,
    // Interface to listen on: 127.0.0.1 unless set (the container image sets 0.0.0.0).
    HOST: listenHost,
    // Verbosity of the JSON logs.
    LOG_LEVEL: logLevel.default('info'),
    // PostgreSQL as the neurosphere_app role: row-level security keeps every query inside one tenant.
    DATABASE_URL: url,
    // Connections per PostgreSQL pool (per process: Prisma's, and in the HTTP app also the context read path's).
    DATABASE_POOL_MAX: positiveInt.default(10),
    // Redis: the summarization queue.
    REDIS_URL: url,
    // "true" when REDIS_URL is a node of a Redis Cluster: the client then follows the cluster's slots (docs/architecture.md §7.4).
    REDIS_CLUSTER: booleanFlag.default('false'),
    // BullMQ key prefix of the summarization queue; the API and the worker must agree on it.
    MEMORY_QUEUE_PREFIX: z.string().default('bull'),
    // This service's Ed25519 private JWK (with kid): signs the short-lived tokens it sends to other services.
    SERVICE_JWT_PRIVATE_JWK: jsonString(servicePrivateJwkSchema),
    // Public keys of every service ({"keys":[...]}): verifies the tokens other services send here.
    SERVICE_JWKS: jsonString(serviceJwksSchema),
    // OpenAI key for call summarization (worker). Unset with no OPENAI_BASE_URL: jobs fail until it is configured.
    OPENAI_API_KEY: z.string().optional(),
    // OpenAI-compatible API base (a local simulator or a test's fake); unset = the SDK's default.
    OPENAI_BASE_URL: url.optional(),
    // Model that summarizes calls (needs JSON-schema structured outputs).
    OPENAI_SUMMARY_MODEL: z.string().default('gpt-4o-mini'),
    // Longest wait for one summarization request; a timeout is retried like any transient failure.
    OPENAI_TIMEOUT_MS: positiveInt.default(30_000),
    // Characters of transcript sent per summarization (~4 per token); longer calls are trimmed (fit-transcript.ts).
    SUMMARY_TRANSCRIPT_MAX_CHARS: positiveInt.default(48_000),
    // Attempts per summarization job before it stays in the failed set (backoff doubles each time).
    SUMMARIZE_MAX_ATTEMPTS: positiveInt.default(6),
    // First retry delay of a failed summarization; then 2x, 4x, ... (exponential backoff).
    SUMMARIZE_BACKOFF_MS: positiveInt.default(5_000),
    // Summarization jobs one worker process runs at once (each mostly waits on the LLM).
    WORKER_CONCURRENCY: positiveInt.default(4),
    // BYOK_KEYS / BYOK_ACTIVE_KEY_ID: decrypt tenants' own OpenAI keys, with which the worker summarizes their calls.
    ...byokEnvShape,
  })
  .transform(withByokKeyring);

export type Env = z.output<typeof envSchema>;

/** Parses the environment; throws one "Invalid environment: ..." line naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  return loadEnv(envSchema, source);
}

export const legacyImportEnvSchema = z.object({
  // PostgreSQL as the neurosphere_platform role: the import writes into a named tenant through withPlatform (audited).
  DATABASE_PLATFORM_URL: url,
  // Verbosity of the import's JSON logs (counts are printed on stdout regardless).
  LOG_LEVEL: logLevel.default('info'),
});

export type LegacyImportEnv = z.output<typeof legacyImportEnvSchema>;

/** The legacy import command's environment (it needs the platform role, not the app role). */
export function parseLegacyImportEnv(source: Record<string, string | undefined> = process.env): LegacyImportEnv {
  return loadEnv(legacyImportEnvSchema, source);
}

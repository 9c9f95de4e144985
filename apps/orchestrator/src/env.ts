import { servicePrivateJwkSchema, serviceJwksSchema } from '@neurosphere/auth';
import { booleanFlag, commaList, jsonString, listenHost, loadEnv, logLevel, metricsPort, port, url } from '@neurosphere/config';
import { DEFAULT_ALLOWED_CHAT_MODELS } from '@neurosphere/contracts';
import { byokEnvShape, withByokKeyring } from '@neurosphere/db';
import { z } from 'zod';

/** A positive whole number of milliseconds or seconds. */
const positiveInt = z.coerce
  .number({ invalid_type_error: 'must be a number' })
  .int('must be an integer')
  .positive('must be a positive number');

const baseSchema = z.object({
  // Port the HTTP server listens on (8001 is this service's place in the platform's port plan).
  PORT: port.default(8001),
  // Internal port serving GET /metrics (Prometheus); unset: none. Never the public PORT.
  METRICS_PORT: metricsPort,
  // Interface to listen on: 127.0.0.1 unless set (the container image sets 0.0.0.0).
  HOST: listenHost,
  // Verbosity of the JSON logs.
  LOG_LEVEL: logLevel.default('info'),
  // PostgreSQL as the neurosphere_app role: row-level security keeps every query inside one tenant.
  DATABASE_URL: url,
  // Redis: call state, synthesized audio and the transcript retry queue.
  REDIS_URL: url,
  // "true" when REDIS_URL is a node of a Redis Cluster: the client then follows the cluster's slots (docs/architecture.md §7.4).
  REDIS_CLUSTER: booleanFlag.default('false'),
  // This service's Ed25519 private JWK (with kid): signs the short-lived tokens it sends to other services.
  SERVICE_JWT_PRIVATE_JWK: jsonString(servicePrivateJwkSchema),
  // Public keys of every service ({"keys":[...]}): verifies the tokens other services send here.
  SERVICE_JWKS: jsonString(serviceJwksSchema),
  // The memory service: caller context at call start, transcripts after the call.
  MEMORY_URL: url,
  // The sms service: the send_sms tool texts the caller through it.
  SMS_URL: url,
  // Platform OpenAI key; a tenant's own key (tenant_credentials, BYOK) wins. Unset: only BYOK tenants get answers.
  OPENAI_API_KEY: z.string().optional(),
  // OpenAI-compatible API base (e.g. a local simulator or a test's fake); unset = the SDK's default.
  OPENAI_BASE_URL: url.optional(),
  // Chat model for tenants that did not choose one (customers.openai_model); must be one of OPENAI_ALLOWED_MODELS.
  OPENAI_DEFAULT_MODEL: z.string().default('gpt-4o-mini'),
  // Chat models tenants may choose (comma-separated); a tenant's model outside the list gets OPENAI_DEFAULT_MODEL.
  OPENAI_ALLOWED_MODELS: commaList.default(DEFAULT_ALLOWED_CHAT_MODELS.join(',')),
  // Temperature for tenants that set none: low, so the receptionist answers the same question the same way.
  OPENAI_TEMPERATURE: z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .min(0, 'must be between 0 and 2')
    .max(2, 'must be between 0 and 2')
    .default(0.3),
  // The reply's token limit: one to three spoken sentences; a reply cut at it is trimmed to its last full sentence.
  OPENAI_MAX_COMPLETION_TOKENS: positiveInt.default(160),
  // Speech recognition confidence (0-1) below which the agent repeats what it heard and asks the caller to confirm.
  LOW_CONFIDENCE_THRESHOLD: z.coerce
    .number({ invalid_type_error: 'must be a number' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(0.5),
  // Twilio <Gather speechModel>: phone_call is Twilio's model for telephone audio; none lets Twilio choose (needed for GATHER_SPEECH_TIMEOUT=auto).
  GATHER_SPEECH_MODEL: z.string().default('phone_call'),
  // Pause that ends the caller's turn: whole seconds, or auto (Twilio allows auto only without a speech model).
  GATHER_SPEECH_TIMEOUT: z
    .union([z.literal('auto'), positiveInt], { errorMap: () => ({ message: 'must be auto or a positive whole number of seconds' }) })
    .default(1),
  // How long a transfer rings before the agent comes back to the caller and offers to take a message.
  TRANSFER_RING_SECONDS: positiveInt.default(20),
  // Longest wait for one chat completion before the caller hears an apology instead.
  OPENAI_TIMEOUT_MS: positiveInt.default(2500),
  // Platform ElevenLabs key; a tenant's own key wins. Unset (and no BYOK key): the gateway speaks with <Say>.
  ELEVENLABS_API_KEY: z.string().optional(),
  // ElevenLabs API base (local simulator or a test's fake); unset = the SDK's default.
  ELEVENLABS_BASE_URL: url.optional(),
  // Text-to-speech model; part of the audio cache key.
  ELEVENLABS_MODEL_ID: z.string().default('eleven_flash_v2_5'),
  // Longest wait for synthesized speech before the same text goes out as <Say>.
  ELEVENLABS_TIMEOUT_MS: positiveInt.default(1200),
  // Longest wait for the caller's context at call start; after it the caller is treated as new.
  MEMORY_CONTEXT_TIMEOUT_MS: positiveInt.default(800),
  // Longest wait for memory to accept a finished call's transcript (then the retry job takes over).
  MEMORY_SUBMIT_TIMEOUT_MS: positiveInt.default(3000),
  // Longest wait for the sms service when the agent texts the caller.
  SMS_TIMEOUT_MS: positiveInt.default(1000),
  // Longest wait for one Redis command on the call path (call state, audio).
  REDIS_TIMEOUT_MS: positiveInt.default(300),
  // Longest wait for one PostgreSQL transaction on the call path (tenant settings, messages).
  DATABASE_TIMEOUT_MS: positiveInt.default(1000),
  // Whole-answer budget for start/turn: the gateway waits 4 s, Twilio 15 s; past this the caller gets a fallback.
  TURN_BUDGET_MS: positiveInt.default(3500),
  // Relay (streaming) turns: no first token from the model by then and the caller hears the fallback sentence (goal: within 2 s).
  RELAY_FIRST_TOKEN_TIMEOUT_MS: positiveInt.default(1500),
  // How long a relay request waits for the call's lock (an interrupt waits for the turn it interrupted to save).
  RELAY_LOCK_WAIT_MS: positiveInt.default(3000),
  // How long a call's state lives in Redis after its last turn.
  CALL_STATE_TTL_SECONDS: positiveInt.default(7200),
  // How long synthesized audio (and its token) stays fetchable and reusable after its last use.
  AUDIO_TTL_SECONDS: positiveInt.default(3600),
  // BullMQ key prefix of the orchestrator queue (separate test runs sharing one Redis use their own).
  ORCHESTRATOR_QUEUE_PREFIX: z.string().default('bull'),
  // Attempts of the transcript retry job when memory is down when a call ends.
  TRANSCRIPT_RETRY_ATTEMPTS: positiveInt.default(12),
  // First retry delay of that job (doubles each attempt).
  TRANSCRIPT_RETRY_BACKOFF_MS: positiveInt.default(15000),
  // An open call older than this (no status callback came) is checked with Twilio and finished if it ended. Below
  // CALL_STATE_TTL_SECONDS, so its turns are still in Redis when the reaper finishes it.
  CALL_REAP_AFTER_SECONDS: positiveInt.default(3600),
  // How often the reaper looks for calls to finish (open too long, or an end kept in the outbox).
  CALL_REAP_INTERVAL_SECONDS: positiveInt.default(300),
  // The platform's Twilio account (numbers with twilio_account = platform): the reaper asks it for a call's real status.
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC + 32 hex)')
    .optional(),
  // Auth token of the platform's Twilio account (set together with TWILIO_ACCOUNT_SID).
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  // Replaces https://api.twilio.com (a fake Twilio in tests, the local simulator).
  TWILIO_API_BASE_URL: url.optional(),
  // Longest wait for one Twilio API request (the reaper's status check).
  TWILIO_TIMEOUT_MS: positiveInt.default(10_000),
  // BYOK_KEYS / BYOK_ACTIVE_KEY_ID: decrypt tenants' own provider keys (BYOK).
  ...byokEnvShape,
});

export const envSchema = baseSchema
  .superRefine((env, ctx) => {
    if (!env.OPENAI_ALLOWED_MODELS.includes(env.OPENAI_DEFAULT_MODEL)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['OPENAI_DEFAULT_MODEL'],
        message: `must be one of OPENAI_ALLOWED_MODELS (${env.OPENAI_ALLOWED_MODELS.join(', ')})`,
      });
    }
    if (env.GATHER_SPEECH_TIMEOUT === 'auto' && env.GATHER_SPEECH_MODEL !== 'none') {
      // Twilio: speechTimeout="auto" is not supported when speechModel is set (warnings 13335, 13327).
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['GATHER_SPEECH_TIMEOUT'],
        message: 'must be a number of seconds unless GATHER_SPEECH_MODEL is none (Twilio allows auto only without a speech model)',
      });
    }
    if (env.CALL_REAP_AFTER_SECONDS >= env.CALL_STATE_TTL_SECONDS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['CALL_REAP_AFTER_SECONDS'],
        message: 'must be less than CALL_STATE_TTL_SECONDS (the reaper needs the call state)',
      });
    }
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

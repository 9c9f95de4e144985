import { randomBytes } from 'node:crypto';
import { generateServiceKeyPair } from '@neurosphere/auth';

/** Where the benchmark's fake providers listen (ElevenLabs only where the benchmark speaks through it). */
export interface FakeProviderUrls {
  openaiBaseUrl: string;
  memoryUrl: string;
  smsUrl: string;
  elevenLabsBaseUrl?: string;
}

/**
 * The signing keys, Twilio token and environment a benchmark's gateway and orchestrator share.
 * Each process adds its own PORT and SERVICE_JWT_PRIVATE_JWK; the gateway also the Twilio token
 * that signs its webhooks (the orchestrator takes a Twilio token only with its account SID).
 */
export async function callServiceSetup(options: {
  runId: string;
  databaseUrl: string;
  redisUrl: string;
  orchestratorPort: number;
  providers: FakeProviderUrls;
}) {
  const { runId, providers } = options;
  const keys = {
    gateway: await generateServiceKeyPair(`gateway-bench-${runId}`),
    orchestrator: await generateServiceKeyPair(`orchestrator-bench-${runId}`),
  };
  const twilioToken = randomBytes(16).toString('hex');
  const sharedEnv = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    SERVICE_JWKS: JSON.stringify({ keys: [keys.gateway.publicJwk, keys.orchestrator.publicJwk] }),
    ORCHESTRATOR_URL: `http://127.0.0.1:${options.orchestratorPort}`,
    MEMORY_URL: providers.memoryUrl,
    SMS_URL: providers.smsUrl,
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: providers.openaiBaseUrl,
    ...(providers.elevenLabsBaseUrl ? { ELEVENLABS_API_KEY: 'el-bench', ELEVENLABS_BASE_URL: providers.elevenLabsBaseUrl } : {}),
    ORCHESTRATOR_QUEUE_PREFIX: `bench-${runId}`,
  };
  return { keys, twilioToken, sharedEnv };
}

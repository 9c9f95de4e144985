// Shared set-up of the orchestrator's integration tests: real PostgreSQL and Redis, the real
// openai and ElevenLabs SDKs against fake servers on 127.0.0.1, and small fake memory and sms
// services that implement their contract routes (and check the service tokens they receive).
import { randomBytes, randomUUID } from 'node:crypto';
import { createServiceTokenSigner, createServiceTokenVerifier, generateServiceKeyPair } from '@neurosphere/auth';
import type { ServiceTokenSigner } from '@neurosphere/auth';
import { createDb, parseKeyring, warmUpDb, withPlatform, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { createTestCredential, createTestTenant, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import type { TestTenant, TestTenantOverrides } from '@neurosphere/db/testing';
import { createLogger, metricsListener, metricsRegistryOf } from '@neurosphere/http';
import {
  freePort,
  startFakeElevenLabs,
  startFakeOpenAI,
  startFakeServer,
  uniqueCallSid,
  uniquePhone,
  uniqueSuffix,
  useHarness,
} from '@neurosphere/testing';
import type { ChatRequest, FakeElevenLabs, FakeOpenAI, FakeServer, RecordedRequest } from '@neurosphere/testing';
import type { Queue } from 'bullmq';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import request from 'supertest';
import type { Response } from 'supertest';
import { buildApp } from '../src/app';
import { parseEnv } from '../src/env';
import { createOrchestratorQueue } from '../src/jobs/orchestrator-queue';
import { createMetrics } from '../src/observability/metrics';
import type { OrchestratorMetrics } from '../src/observability/metrics';

/** A URL where nothing listens: a dependency that is down. */
export async function closedPortUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

/** What memory keeps about a caller besides the prompt block: the profile's name and facts (caller_name, known_facts). */
export interface FakeCallerProfile {
  name?: string;
  facts?: Record<string, unknown>;
}

export interface FakeMemory extends FakeServer {
  /** prompt_context (and profile) memory returns for one caller of one tenant (unknown callers get ""). */
  setContext(customerId: number, callerPhone: string, promptContext: string, profile?: FakeCallerProfile): void;
  processCallRequests(): Array<{ customerId: number; body: Record<string, unknown> }>;
}

export interface FakeSms extends FakeServer {
  /** The caller replied STOP to this tenant: sends to them are refused the way the sms service refuses them. */
  optOut(customerId: number, phone: string): void;
  /** The next send is accepted (and counted as sent) but answered only after `ms`. */
  answerNextAfter(ms: number): void;
  /** Texts actually sent to `to`: like the sms service, a repeated idempotency key sends nothing new. */
  textsSentTo(customerId: number, to: string): number;
}

export interface Harness {
  db: Db;
  platformDb: Db;
  redis: Redis;
  pool: Pool;
  queue: Queue;
  /** BullMQ prefix of this test file's queue. */
  queuePrefix: string;
  openai: FakeOpenAI;
  elevenlabs: FakeElevenLabs;
  memory: FakeMemory;
  sms: FakeSms;
  gatewaySigner: ServiceTokenSigner;
  /** Signs as admin-api (the voice preview's caller). */
  adminApiSigner: ServiceTokenSigner;
  /** Environment variables every app of this file starts from. */
  baseEnv: Record<string, string>;
  /** `db`/`redis`: the app's own clients instead of the shared ones (a store that is down). */
  makeApp(options?: { env?: Record<string, string>; redis?: Redis; db?: Db }): { app: Express; metrics: OrchestratorMetrics };
  createTenant(overrides?: TestTenantOverrides): Promise<TestTenant & { template: TestTemplate }>;
  /** Stores a BYOK credential for the tenant, encrypted with this harness's keyring. */
  addTenantCredential(customerId: number, provider: 'openai' | 'elevenlabs', secret: string): Promise<void>;
  /** Puts the fake model and voice back to their defaults: a fixed reply, speech that works. */
  resetProviders(): void;
  close(): Promise<void>;
}

export interface TestTemplate {
  industry: string;
  role: string;
  guideline: string;
  knownFactsIntro: string;
}

const logger = createLogger({ service: 'orchestrator-test', level: 'silent' });

export async function startHarness(): Promise<Harness> {
  const databaseEnv = requireTestDatabaseEnv();
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error('integration tests need REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379');

  const orchestratorKeys = await generateServiceKeyPair(`orchestrator-test-${uniqueSuffix()}`);
  const gatewayKeys = await generateServiceKeyPair(`gateway-test-${uniqueSuffix()}`);
  const otherKeys = await generateServiceKeyPair(`sms-test-${uniqueSuffix()}`);
  const adminApiKeys = await generateServiceKeyPair(`admin-api-test-${uniqueSuffix()}`);
  const jwks = { keys: [orchestratorKeys.publicJwk, gatewayKeys.publicJwk, otherKeys.publicJwk, adminApiKeys.publicJwk] };
  const verifyFor = (audience: 'memory' | 'sms') => createServiceTokenVerifier({ audience, allowedIssuers: ['orchestrator'], jwks });
  const memoryVerifier = verifyFor('memory');
  const smsVerifier = verifyFor('sms');
  const authorize = async (verify: typeof memoryVerifier, recorded: RecordedRequest): Promise<number | null> => {
    const header = recorded.headers.authorization;
    const token = typeof header === 'string' ? header.replace(/^Bearer /, '') : '';
    try {
      return (await verify(token)).customerId;
    } catch {
      return null;
    }
  };

  const contexts = new Map<string, { promptContext: string; profile: FakeCallerProfile }>();
  const memoryServer = await startFakeServer({
    'POST /v2/context/enriched': async (recorded) => {
      const customerId = await authorize(memoryVerifier, recorded);
      const body = recorded.body as { customer_id: number; user_id: string };
      if (customerId === null) return { status: 401, body: { success: false, error: 'bad token', code: 'UNAUTHENTICATED' } };
      if (customerId !== body.customer_id) return { status: 403, body: { success: false, error: 'tenant mismatch', code: 'FORBIDDEN' } };
      const { promptContext, profile } = contexts.get(`${customerId}:${body.user_id}`) ?? { promptContext: '', profile: {} };
      return {
        status: 200,
        body: {
          success: true,
          customer_id: customerId,
          user_id: body.user_id,
          known_caller: promptContext !== '',
          quick_bio: null,
          recent_summaries: [],
          known_facts: profile.facts ?? {},
          caller_name: profile.name ?? null,
          personality: null,
          prompt_context: promptContext,
        },
      };
    },
    'POST /v2/process-call': async (recorded) => {
      const customerId = await authorize(memoryVerifier, recorded);
      const body = recorded.body as { customer_id: number; call_sid: string };
      if (customerId === null) return { status: 401, body: { success: false, error: 'bad token', code: 'UNAUTHENTICATED' } };
      if (customerId !== body.customer_id) return { status: 403, body: { success: false, error: 'tenant mismatch', code: 'FORBIDDEN' } };
      return { status: 202, body: { success: true, job_id: `process-call:${customerId}:${body.call_sid}`, status: 'queued' } };
    },
  });
  const memory: FakeMemory = {
    ...memoryServer,
    setContext(customerId, callerPhone, promptContext, profile = {}) {
      contexts.set(`${customerId}:${callerPhone}`, { promptContext, profile });
    },
    processCallRequests() {
      return memoryServer.requests
        .filter((recorded) => recorded.path === '/v2/process-call')
        .map((recorded) => {
          const body = recorded.body as Record<string, unknown>;
          return { customerId: Number(body.customer_id), body };
        });
    },
  };

  const optedOut = new Set<string>();
  const sentKeys = new Map<string, string>();
  let nextDelayMs = 0;
  const smsServer = await startFakeServer({
    'POST /v1/messages': async (recorded) => {
      const customerId = await authorize(smsVerifier, recorded);
      if (customerId === null) return { status: 401, body: { success: false, error: 'bad token', code: 'UNAUTHENTICATED' } };
      const body = recorded.body as { to: string; body: string; idempotency_key?: string };
      const delayMs = nextDelayMs;
      nextDelayMs = 0;
      if (optedOut.has(`${customerId}:${body.to}`)) {
        return {
          status: 422,
          body: {
            success: false,
            error: 'The recipient has opted out of texts from this business (replied STOP); the text was not sent',
            code: 'RECIPIENT_OPTED_OUT',
            details: [{ path: 'to', message: 'recipient opted out' }],
          },
        };
      }
      const key = `${customerId}:${body.idempotency_key ?? randomUUID()}`;
      if (!sentKeys.has(key)) sentKeys.set(key, `${customerId}:${body.to}`);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const now = new Date().toISOString();
      return {
        status: 202,
        body: {
          success: true,
          message: {
            id: randomUUID(),
            direction: 'outbound',
            to: body.to,
            from: '+12125550100',
            body: body.body,
            status: 'queued',
            template: null,
            twilio_sid: null,
            error_code: null,
            error_message: null,
            created_at: now,
            updated_at: now,
          },
        },
      };
    },
  });

  const sms: FakeSms = {
    ...smsServer,
    optOut(customerId, phone) {
      optedOut.add(`${customerId}:${phone}`);
    },
    answerNextAfter(ms) {
      nextDelayMs = ms;
    },
    textsSentTo(customerId, to) {
      return [...sentKeys.values()].filter((recipient) => recipient === `${customerId}:${to}`).length;
    },
  };

  const openai = await startFakeOpenAI(() => ({ content: 'How can I help you today?' }));
  const elevenlabs = await startFakeElevenLabs();

  const db = createDb({ url: databaseEnv.appUrl });
  // As main.ts does at boot: the first call of a test file must not pay for connecting and for the query compiler's first use.
  await warmUpDb(db);
  const platformDb = createDb({ url: databaseEnv.platformUrl });
  const pool = new Pool({ connectionString: databaseEnv.appUrl, max: 2 });
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // Connected now, as main.ts's client is at boot: otherwise the first call of a test file pays for
  // connecting within the 300 ms Redis budget, and on a busy machine its call state is not saved.
  await redis.ping();
  const queuePrefix = `test-orchestrator-${uniqueSuffix()}`;
  const queueConnection = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  // Short retries, so a test that runs the transcript retry worker does not wait for them.
  const queue = createOrchestratorQueue({ connection: queueConnection, prefix: queuePrefix, attempts: 3, backoffMs: 50 });

  const byokKeyId = 'orchestrator-test';
  const byokKeys = { [byokKeyId]: randomBytes(32).toString('base64') };
  const keyring = parseKeyring(JSON.stringify(byokKeys), byokKeyId);

  const baseEnv: Record<string, string> = {
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseEnv.appUrl,
    REDIS_URL: redisUrl,
    SERVICE_JWT_PRIVATE_JWK: JSON.stringify(orchestratorKeys.privateJwk),
    SERVICE_JWKS: JSON.stringify(jwks),
    MEMORY_URL: memory.url,
    SMS_URL: sms.url,
    OPENAI_API_KEY: 'platform-openai-key',
    OPENAI_BASE_URL: openai.baseURL,
    OPENAI_DEFAULT_MODEL: 'platform-default-model',
    OPENAI_ALLOWED_MODELS: 'platform-default-model,tenant-model-x,model-a,model-b',
    ELEVENLABS_API_KEY: 'platform-elevenlabs-key',
    ELEVENLABS_BASE_URL: elevenlabs.baseUrl,
    ELEVENLABS_MODEL_ID: 'test-tts-model',
    BYOK_KEYS: JSON.stringify(byokKeys),
    BYOK_ACTIVE_KEY_ID: byokKeyId,
  };

  return {
    db,
    platformDb,
    redis,
    pool,
    queue,
    queuePrefix,
    openai,
    elevenlabs,
    memory,
    sms,
    gatewaySigner: createServiceTokenSigner({ issuer: 'gateway', privateJwk: gatewayKeys.privateJwk }),
    adminApiSigner: createServiceTokenSigner({ issuer: 'admin-api', privateJwk: adminApiKeys.privateJwk }),
    baseEnv,
    makeApp(options = {}) {
      const env = parseEnv({ ...baseEnv, ...options.env });
      const metrics = createMetrics();
      const app = buildApp({ logger, pool, redis: options.redis ?? redis, db: options.db ?? db, env, transcriptQueue: queue, metrics });
      return { app, metrics };
    },
    async createTenant(overrides = {}) {
      const suffix = uniqueSuffix();
      const template: TestTemplate = {
        industry: `orch-test-${suffix}`,
        role: `You answer the phone for a test practice ${suffix}.`,
        guideline: `Always mention reference ${suffix} when asked.`,
        knownFactsIntro: `Caller facts for ${suffix}:`,
      };
      await withPlatform(platformDb, { actor: 'test', action: 'test.create_template' }, async (tx) => {
        await tx.industryTemplate.create({ data: { industry: template.industry, name: `Test ${suffix}` } });
        await tx.industryTemplateVersion.create({
          data: {
            industry: template.industry,
            version: 1,
            publishedAt: new Date(),
            definition: {
              industry: template.industry,
              version: 1,
              name: `Test ${suffix}`,
              fields: [{ key: 'city', label: 'City', type: 'string', hint: 'The caller’s city.' }],
              promptFragments: { role: template.role, guidelines: [template.guideline], knownFactsIntro: template.knownFactsIntro },
              quickBio: { format: '{{name}} | {{city}}' },
            },
          },
        });
      });
      const tenant = await createTestTenant(platformDb, {
        agentName: `Agent${suffix}`,
        greeting: `Thanks for calling test business ${suffix}, this is {{agent_name}}.`,
        voiceId: `voice-${suffix}`,
        personality: `Personality marker ${suffix}.`,
        industry: template.industry,
        templateVersion: 1,
        phoneNumbers: [uniquePhone()],
        ...overrides,
      });
      return { ...tenant, template };
    },
    async addTenantCredential(customerId, provider, secret) {
      await withPlatform(platformDb, { actor: 'test', action: 'test.add_credential', customerId }, (tx) =>
        createTestCredential(tx, { customerId, provider, secret, keyring }),
      );
    },
    resetProviders() {
      openai.respondWith(() => ({ content: 'How can I help you today?' }));
      elevenlabs.failWith(undefined);
    },
    async close() {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await Promise.all([openai.close(), elevenlabs.close(), memory.close(), sms.close()]);
      await Promise.all([db.$disconnect(), platformDb.$disconnect(), pool.end()]);
      if (redis.status !== 'end' && redis.status !== 'wait') await redis.quit();
      await queueConnection.quit();
    },
  };
}

/** Calls the orchestrator the way the gateway does: a service token for the tenant and the call. */
export class GatewayClient {
  constructor(
    private readonly app: Express,
    private readonly signer: ServiceTokenSigner,
  ) {}

  private async bearer(customerId: number, callSid: string): Promise<string> {
    return `Bearer ${await this.signer.sign({ audience: 'orchestrator', customerId, callId: callSid })}`;
  }

  async start(options: {
    customerId: number;
    callSid?: string;
    /** null: the caller withheld their number. */
    caller?: string | null;
    called?: string;
  }): Promise<{ response: Response; callSid: string; caller: string | null }> {
    const callSid = options.callSid ?? uniqueCallSid();
    const caller = options.caller === undefined ? uniquePhone() : options.caller;
    const response = await request(this.app)
      .post('/v1/calls/start')
      .set('authorization', await this.bearer(options.customerId, callSid))
      .send({ customer_id: options.customerId, call_sid: callSid, caller, called: options.called ?? uniquePhone() });
    return { response, callSid, caller };
  }

  async turn(
    customerId: number,
    callSid: string,
    speech: string | null,
    extra: { confidence?: number; digits?: string } = {},
  ): Promise<Response> {
    return request(this.app)
      .post(`/v1/calls/${callSid}/turn`)
      .set('authorization', await this.bearer(customerId, callSid))
      .send({ customer_id: customerId, speech, confidence: 0.9, ...extra });
  }

  /** Twilio's <Dial> action: how the transfer ended. */
  async transferResult(customerId: number, callSid: string, status: string): Promise<Response> {
    return request(this.app)
      .post(`/v1/calls/${callSid}/transfer-result`)
      .set('authorization', await this.bearer(customerId, callSid))
      .send({ customer_id: customerId, status });
  }

  async end(customerId: number, callSid: string, status = 'completed', durationSeconds = 42): Promise<Response> {
    return request(this.app)
      .post(`/v1/calls/${callSid}/end`)
      .set('authorization', await this.bearer(customerId, callSid))
      .send({ customer_id: customerId, status, duration_seconds: durationSeconds });
  }
}

/**
 * The set-up every call-route test file shares: one harness, the gateway's client of its app, and
 * the fake model and voice reset before each test.
 */
export function useCallRoutes(): { harness: Harness; gateway: GatewayClient } {
  const harness = useHarness(startHarness);
  const gateway = useHarness(() => new GatewayClient(harness.makeApp().app, harness.gatewaySigner));
  beforeEach(() => harness.resetProviders());
  return { harness, gateway };
}

/**
 * The <Gather> the orchestrator asks for with the platform's test settings: the tenant's language,
 * its names as hints, phone_call with a one-second end of speech, the keypad too.
 */
export function gatherFor(
  customer: { speechTimeoutSeconds: number; businessName: string; agentName: string; language?: string },
  extra: { num_digits?: number } = {},
) {
  return {
    type: 'gather',
    speech_timeout_seconds: customer.speechTimeoutSeconds,
    timeout_seconds: customer.speechTimeoutSeconds,
    speech_timeout: 1,
    speech_model: 'phone_call',
    enhanced: true,
    language: customer.language ?? 'en-US',
    hints: [customer.businessName, customer.agentName],
    dtmf: true,
    ...extra,
  };
}

/** Sum of orchestrator_dependency_failures_total for a dependency (optionally one kind), read from the app's GET /metrics. */
export async function dependencyFailures(app: Express, dependency: string, kind?: string): Promise<number> {
  const response = await request(metricsListener(metricsRegistryOf(app))).get('/metrics');
  let total = 0;
  for (const line of (response.text as string).split('\n')) {
    const match = /^orchestrator_dependency_failures_total\{([^}]*)\} (\d+(?:\.\d+)?)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (labels.dependency === dependency && (kind === undefined || labels.kind === kind)) total += Number(match[2]);
  }
  return total;
}

/** Reads rows of one tenant the way the service does (withTenant, RLS). */
export function asTenant<T>(db: Db, customerId: number, work: Parameters<typeof withTenant<T>>[2]): Promise<T> {
  return withTenant(db, customerId, work);
}

/** Polls `check` until it returns a value (not undefined) or `limitMs` passes: for work a queue does later. */
export async function eventually<T>(check: () => Promise<T | undefined>, limitMs = 10_000): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`condition not met within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The system prompt a chat request to the model started with. */
export function systemPromptOf(chat: ChatRequest): string {
  const first = chat.messages[0];
  return first?.role === 'system' && typeof first.content === 'string' ? first.content : '';
}

/** The chat requests whose system prompt belongs to this tenant's agent. */
export function chatsFor(harness: Harness, agentName: string): ChatRequest[] {
  return harness.openai.chatRequests().filter((chat) => systemPromptOf(chat).includes(`You are ${agentName},`));
}

/** Whether a chat request carries tool results (the model's second round of a turn). */
export function hasToolResults(chat: ChatRequest): boolean {
  return chat.messages.some((message) => message.role === 'tool');
}

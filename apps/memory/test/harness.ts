// Test harness of the memory service's integration tests (never imported by production code).
// Everything runs against the real PostgreSQL and Redis named by the environment; OpenAI is the
// fake server from @neurosphere/testing driven through the real `openai` SDK.
import { createServiceTokenSigner, generateServiceKeyPair } from '@neurosphere/auth';
import type { ServiceJwks, ServiceName, ServicePrivateJwk } from '@neurosphere/auth';
import { loadEnv, url } from '@neurosphere/config';
import { personalityScaleNames } from '@neurosphere/contracts';
import type { ConversationTurn, IndustryTemplateDefinition } from '@neurosphere/contracts';
import { createDb, withPlatform } from '@neurosphere/db';
import type { Db, Keyring } from '@neurosphere/db';
import { createTestTenant, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { createLogger, providerTimer } from '@neurosphere/http';
import type { Logger, Registry } from '@neurosphere/http';
import { signTokenClaimingIssuer, startFakeOpenAI, uniqueSuffix } from '@neurosphere/testing';
import type { ChatRequest, FakeOpenAI } from '@neurosphere/testing';
import { Job, QueueEvents } from 'bullmq';
import type { Queue, Worker } from 'bullmq';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import request from 'supertest';
import type { Response } from 'supertest';
import { z } from 'zod';
import { buildApp } from '../src/app';
import { MEMORY_CALLERS } from '../src/routes/allowed-callers';
import type { MemoryCallers } from '../src/routes/allowed-callers';
import { insuranceTemplate } from './templates';
export { insuranceTemplate, realEstateTemplate } from './templates';
import { createOpenAiSummarizer } from '../src/domain/calls/call-summarizer';
import { threadIdFor } from '../src/domain/callers/thread-id';
import { createMemoryQueue, MEMORY_QUEUE_NAME } from '../src/jobs/memory-queue';
import { createMemoryWorker, observeMemoryWorker } from '../src/jobs/memory-worker';

export const silentLogger: Logger = createLogger({ service: 'memory-test', level: 'silent' });

/** Publishes a template version under a unique industry key (templates are global rows). */
export async function publishTemplate(platformDb: Db, definition: IndustryTemplateDefinition): Promise<void> {
  await withPlatform(platformDb, { actor: 'test', action: 'test.publish_template' }, async (tx) => {
    await tx.industryTemplate.createMany({
      data: [{ industry: definition.industry, name: definition.name }],
      skipDuplicates: true,
    });
    await tx.industryTemplateVersion.create({
      data: { industry: definition.industry, version: definition.version, definition, publishedAt: new Date() },
    });
  });
}

/** A fresh insurance-like template under a unique industry key starting with `prefix`, published. */
export async function publishInsuranceTemplate(platformDb: Db, prefix: string): Promise<IndustryTemplateDefinition> {
  const template = insuranceTemplate(uniqueIndustry(prefix));
  await publishTemplate(platformDb, template);
  return template;
}

/** A unique industry key per test file, so parallel runs never publish over each other. */
export function uniqueIndustry(prefix: string): string {
  return `${prefix}-${uniqueSuffix()}`;
}

/** A tenant pinned to `template` (published first). */
export async function createTenantWithTemplate(platformDb: Db, template: IndustryTemplateDefinition): Promise<number> {
  const tenant = await createTestTenant(platformDb, { industry: template.industry, templateVersion: template.version });
  return tenant.customerId;
}

/** Structured output the fake model returns for a call (every key present, as strict mode requires). */
export interface FakeInsights {
  summary: string;
  key_topics?: string[];
  caller_name?: string | null;
  facts?: string[];
  /** Shorthand for `set` changes (reason "test"), after `changes`. */
  variables?: Record<string, unknown>;
  changes?: Array<{ field: string; action: 'set' | 'unset'; value: unknown; reason: string }>;
  /** Scales not given are 50; null = the model found the call too thin to judge. */
  personality?: Partial<Record<string, number>> | null;
}

/**
 * Builds the full answer for `request`'s schema. Personality is answered only when the schema asks
 * for it (the worker leaves it out of short calls and voicemail), as a real model must.
 */
export function answerFor(request: ChatRequest, insights: FakeInsights): Record<string, unknown> {
  const schema = request.response_format?.json_schema?.schema as { properties?: Record<string, unknown> } | undefined;
  const changes = [
    ...(insights.changes ?? []),
    ...Object.entries(insights.variables ?? {}).map(([field, value]) => ({ field, action: 'set', value, reason: 'test' })),
  ];
  const answer: Record<string, unknown> = {
    summary: insights.summary,
    key_topics: insights.key_topics ?? [],
    caller_name: insights.caller_name ?? null,
    facts: insights.facts ?? [],
    changes,
  };
  if (schema?.properties && 'personality' in schema.properties) {
    answer.personality =
      insights.personality === null
        ? null
        : Object.fromEntries(personalityScaleNames.map((scale) => [scale, insights.personality?.[scale] ?? 50]));
  }
  return answer;
}

/** The current profile the worker sent with the transcript (name and fields). */
export function profileSentWith(request: ChatRequest): { name: string | null; fields: Record<string, unknown> } | null {
  const match = /<current_profile>\n([\s\S]*?)\n<\/current_profile>/.exec(transcriptOf(request));
  return match?.[1] ? (JSON.parse(match[1]) as { name: string | null; fields: Record<string, unknown> }) : null;
}

/** The transcript text the fake model was sent (the user message). */
export function transcriptOf(request: ChatRequest): string {
  const user = request.messages.find((message) => message.role === 'user');
  return typeof user?.content === 'string' ? user.content : '';
}

export interface HarnessOptions {
  /** Attempts and backoff of the kit's queue (BullMQ's retry settings). */
  attempts?: number;
  backoffMs?: number;
  /** Who may call each route; MEMORY_CALLERS, as in production, unless given. */
  callers?: MemoryCallers;
}

/**
 * MEMORY_CALLERS with `service` added to every route. For tests of the routes kept from the
 * original API, which no service calls yet (so nobody may call them): their behaviour stays tested
 * until a caller is added. Who may call what is tested against MEMORY_CALLERS itself
 * (src/routes/service-auth.int.test.ts).
 */
export function everyRouteOpenTo(service: ServiceName): MemoryCallers {
  return Object.fromEntries(
    Object.entries(MEMORY_CALLERS).map(([route, callers]) => [route, [...new Set<ServiceName>([...callers, service])]]),
  ) as unknown as MemoryCallers;
}

export interface Harness {
  db: Db;
  platformDb: Db;
  pool: Pool;
  /** App-side Redis (queue producer, readiness). */
  redis: Redis;
  queue: Queue;
  queueEvents: QueueEvents;
  prefix: string;
  app: Express;
  /** The public keys the app trusts. */
  jwks: ServiceJwks;
  fakeOpenAI: FakeOpenAI;
  /** A bearer token for `customerId`, issued by `issuer` (default orchestrator) to memory. */
  token(customerId: number, issuer?: ServiceName): Promise<string>;
  /** A token signed with `keyOf`'s key whose `iss` claims `claimedIssuer` (which memory must refuse). */
  tokenSignedWith(customerId: number, keyOf: ServiceName, claimedIssuer: ServiceName): Promise<string>;
  /** Starts a worker in this process on the kit's queue (closed by close() unless closed before). */
  startWorker(options?: {
    lockDurationMs?: number;
    stalledIntervalMs?: number;
    openAiTimeoutMs?: number;
    /** SUMMARY_TRANSCRIPT_MAX_CHARS of this worker. */
    transcriptBudgetChars?: number;
    /** BYOK_KEYS of this worker: decrypts tenants' own OpenAI keys. */
    keyring?: Keyring;
    /** Records the worker's metrics here, as src/worker.ts does. */
    metricsRegistry?: Registry;
  }): Promise<Worker>;
  /** Posts a finished call to /v2/process-call as the orchestrator does; the caller checks the answer. */
  processCall(customerId: number, call: { userId: string; callSid: string; conversation: ConversationTurn[] }): Promise<Response>;
  /** Waits until the job has completed (resolves its return value) or failed for good (rejects). */
  waitForJob(jobId: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * One per test file: app-role and platform-role clients, a queue with a unique BullMQ prefix,
 * service keys generated for the run, the app under test and a fake OpenAI server.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dbEnv = requireTestDatabaseEnv();
  const { REDIS_URL } = loadEnv(z.object({ REDIS_URL: url }));
  const db = createDb({ url: dbEnv.appUrl, poolMax: 5 });
  const platformDb = createDb({ url: dbEnv.platformUrl, poolMax: 2 });
  const pool = new Pool({ connectionString: dbEnv.appUrl, max: 3 });
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const prefix = `test-memory-${uniqueSuffix()}`;
  const queue = createMemoryQueue({ connection: redis, prefix, attempts: options.attempts ?? 3, backoffMs: options.backoffMs ?? 50 });
  const queueEvents = new QueueEvents(MEMORY_QUEUE_NAME, { connection: { url: REDIS_URL }, prefix });
  await queueEvents.waitUntilReady();
  const fakeOpenAI = await startFakeOpenAI();

  const keys = new Map<ServiceName, ServicePrivateJwk>();
  const publicKeys = [];
  for (const issuer of ['orchestrator', 'gateway', 'admin-api', 'sms', 'worker'] as const) {
    const pair = await generateServiceKeyPair(`${issuer}-test-${uniqueSuffix()}`);
    keys.set(issuer, pair.privateJwk);
    publicKeys.push(pair.publicJwk);
  }
  const jwks = { keys: publicKeys };
  const app = buildApp({ logger: silentLogger, pool, redis, db, queue, jwks, callers: options.callers });
  const workers: Worker[] = [];
  async function token(customerId: number, issuer: ServiceName = 'orchestrator'): Promise<string> {
    const privateJwk = keys.get(issuer);
    if (!privateJwk) throw new Error(`no test key for ${issuer}`);
    return createServiceTokenSigner({ issuer, privateJwk }).sign({ audience: 'memory', customerId });
  }
  const workerConnections: Redis[] = [];

  return {
    db,
    platformDb,
    pool,
    redis,
    queue,
    queueEvents,
    prefix,
    app,
    jwks,
    fakeOpenAI,
    token,
    async tokenSignedWith(customerId, keyOf, claimedIssuer) {
      const privateJwk = keys.get(keyOf);
      if (!privateJwk) throw new Error(`no test key for ${keyOf}`);
      return signTokenClaimingIssuer({ privateJwk, issuer: claimedIssuer, audience: 'memory', customerId });
    },
    async startWorker(workerOptions = {}) {
      const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      workerConnections.push(connection);
      const summarizer = createOpenAiSummarizer({
        apiKey: 'test-key',
        baseURL: fakeOpenAI.baseURL,
        model: 'test-summary-model',
        timeoutMs: workerOptions.openAiTimeoutMs ?? 10_000,
        transcriptBudgetChars: workerOptions.transcriptBudgetChars,
        ...(workerOptions.metricsRegistry ? { timer: providerTimer(workerOptions.metricsRegistry) } : {}),
      });
      const worker = createMemoryWorker({
        connection,
        prefix,
        logger: silentLogger,
        deps: { db, summarizer, keyring: workerOptions.keyring },
        lockDurationMs: workerOptions.lockDurationMs,
        stalledIntervalMs: workerOptions.stalledIntervalMs,
      });
      workers.push(worker);
      if (workerOptions.metricsRegistry) observeMemoryWorker({ registry: workerOptions.metricsRegistry, worker, queue });
      await worker.waitUntilReady();
      return worker;
    },
    async processCall(customerId, call) {
      return request(app)
        .post('/v2/process-call')
        .set('authorization', `Bearer ${await token(customerId)}`)
        .send({
          customer_id: customerId,
          user_id: call.userId,
          thread_id: threadIdFor(customerId, call.userId),
          call_sid: call.callSid,
          conversation_history: call.conversation,
        });
    },
    async waitForJob(jobId) {
      const job = await Job.fromId(queue, jobId);
      if (!job) throw new Error(`job ${jobId} not found`);
      return job.waitUntilFinished(queueEvents, 20_000);
    },
    async close() {
      for (const worker of workers) await worker.close(true);
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await queueEvents.close();
      await fakeOpenAI.close();
      for (const connection of workerConnections) if (connection.status !== 'end') await connection.quit();
      if (redis.status !== 'end') await redis.quit();
      await Promise.all([db.$disconnect(), platformDb.$disconnect(), pool.end()]);
    },
  };
}

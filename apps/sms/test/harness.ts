// Integration-test set-up for the sms service: real PostgreSQL (app and platform roles), real
// Redis and BullMQ (a unique prefix per harness), the real twilio SDK against a fake Twilio on
// 127.0.0.1, and the send worker running in this process. Never imported by production code.
import { randomBytes } from 'node:crypto';
import { createServiceTokenSigner, generateServiceKeyPair } from '@neurosphere/auth';
import type { ServiceName, ServicePrivateJwk, ServiceTokenSigner } from '@neurosphere/auth';
import { loadEnv, url } from '@neurosphere/config';
import { assignPhoneNumber, createDb, parseKeyring, withPlatform, withTenant } from '@neurosphere/db';
import type { Db, Keyring, PhoneNumberPurpose, SmsMessage } from '@neurosphere/db';
import { createTestCredential, createTestTenant, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import type { TestTenantOverrides } from '@neurosphere/db/testing';
import { createLogger } from '@neurosphere/http';
import { signTokenClaimingIssuer, startFakeTwilio, uniqueAccountSid, uniquePhone, uniqueSuffix, useHarness } from '@neurosphere/testing';
import type { FakeTwilio, SentMessage } from '@neurosphere/testing';
import { QueueEvents } from 'bullmq';
import type { Queue, Worker } from 'bullmq';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import request from 'supertest';
import type { Response } from 'supertest';
import { z } from 'zod';
import { buildApp } from '../src/app';
import type { AppDeps } from '../src/app';
import type { SendQueuedMessageDeps } from '../src/domain/messages/send-queued-message';
import { createSendStore } from '../src/domain/messages/send-store';
import { createTwilioSender } from '../src/domain/twilio/twilio-sender';
import type { TwilioAccount } from '../src/domain/twilio/twilio-sender';
import { sendMessageJob, sendQueueOf } from '../src/jobs/send-message-job';
import { createSendQueue } from '../src/jobs/send-queue';
import type { SendRetryPolicy } from '../src/jobs/send-queue';
import { createSendWorker } from '../src/jobs/send-worker';

const CALLERS = ['gateway', 'orchestrator', 'admin-api', 'memory'] as const;
export const STATUS_CALLBACK_BASE = 'https://gateway.test.example';

export interface Harness {
  app: Express;
  /** What `app` was built from (to build variants, e.g. with an unreachable Redis). */
  deps: AppDeps;
  /** What the in-process send worker runs with (to call sendQueuedMessage directly). */
  sendDeps: SendQueuedMessageDeps;
  /** App role (what the service uses) and platform role (test set-up, like onboarding). */
  db: Db;
  platformDb: Db;
  fakeTwilio: FakeTwilio;
  platformAccount: TwilioAccount;
  keyring: Keyring;
  queue: Queue;
  /** A service token for `customerId` from `issuer`, addressed to sms. */
  token(issuer: (typeof CALLERS)[number], customerId: number): Promise<string>;
  /** A token signed with `keyOf`'s key whose `iss` claims `claimedIssuer` (which sms must refuse). */
  tokenSignedWith(keyOf: (typeof CALLERS)[number], claimedIssuer: ServiceName, customerId: number): Promise<string>;
  /** Resolves when the message's send job finished (rejects when it failed for good). */
  waitForSend(customerId: number, messageId: string): Promise<unknown>;
  /** Re-reads a message as the tenant sees it. */
  message(customerId: number, messageId: string): Promise<SmsMessage>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  retry?: SendRetryPolicy;
  ai?: Partial<AppDeps['ai']>;
  /** Who may call each route; SMS_CALLERS, as in production, unless given. */
  callers?: AppDeps['callers'];
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dbEnv = requireTestDatabaseEnv();
  const env = loadEnv(z.object({ REDIS_URL: url, BYOK_KEYS: z.string().optional(), BYOK_ACTIVE_KEY_ID: z.string().optional() }));
  // scripts/test provides a BYOK keyring; a run without one gets a throwaway key.
  const keyring =
    env.BYOK_KEYS && env.BYOK_ACTIVE_KEY_ID
      ? parseKeyring(env.BYOK_KEYS, env.BYOK_ACTIVE_KEY_ID)
      : parseKeyring(JSON.stringify({ 'test-sms': randomBytes(32).toString('base64') }), 'test-sms');
  const prefix = `test-sms-${uniqueSuffix()}`;
  const logger = createLogger({ service: 'sms-test', level: 'silent' });

  const db = createDb({ url: dbEnv.appUrl, poolMax: 5 });
  const platformDb = createDb({ url: dbEnv.platformUrl, poolMax: 2 });
  const pool = new Pool({ connectionString: dbEnv.appUrl, max: 1 });
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true });
  const workerConnection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const events = new QueueEvents('sms-send', { connection: { url: env.REDIS_URL }, prefix });
  const fakeTwilio = await startFakeTwilio();
  const platformAccount = randomTwilioAccount();

  const queue = createSendQueue({ connection: redis, prefix, retry: options.retry ?? { attempts: 4, backoffDelayMs: 50 } });
  const sendDeps: SendQueuedMessageDeps = {
    db,
    store: createSendStore(db),
    logger,
    twilio: {
      sender: createTwilioSender({ apiBaseUrl: fakeTwilio.url, timeoutMs: 5_000 }),
      platformAccount,
      byokKeyring: keyring,
    },
    statusCallbackUrl: `${STATUS_CALLBACK_BASE}/sms/status`,
  };
  const worker: Worker = createSendWorker({ connection: workerConnection, prefix, concurrency: 5, logger, deps: sendDeps });

  const signers = new Map<string, ServiceTokenSigner>();
  const privateKeys = new Map<string, ServicePrivateJwk>();
  const publicKeys = [];
  for (const issuer of CALLERS) {
    const { privateJwk, publicJwk } = await generateServiceKeyPair(`${issuer}-${prefix}`);
    signers.set(issuer, createServiceTokenSigner({ issuer: issuer as ServiceName, privateJwk }));
    privateKeys.set(issuer, privateJwk);
    publicKeys.push(publicJwk);
  }

  const deps: AppDeps = {
    logger,
    pool,
    redis,
    db,
    jwks: { keys: publicKeys },
    sendQueue: sendQueueOf(queue),
    redisKeyPrefix: prefix,
    byokKeyring: keyring,
    ai: { openai: null, memory: null, defaultModel: 'gpt-test', openaiTimeoutMs: 5_000, ...options.ai },
    callers: options.callers,
  };
  const app = buildApp(deps);
  await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);

  return {
    app,
    deps,
    sendDeps,
    db,
    platformDb,
    fakeTwilio,
    platformAccount,
    keyring,
    queue,
    token: (issuer, customerId) => signers.get(issuer)!.sign({ audience: 'sms', customerId }),
    tokenSignedWith: (keyOf, claimedIssuer, customerId) =>
      signTokenClaimingIssuer({ privateJwk: privateKeys.get(keyOf)!, issuer: claimedIssuer, audience: 'sms', customerId }),
    async waitForSend(customerId, messageId) {
      const job = await queue.getJob(sendMessageJob.jobId({ customerId, messageId }));
      if (!job) throw new Error(`no send job for message ${messageId}`);
      return job.waitUntilFinished(events);
    },
    message: (customerId, messageId) =>
      withTenant(db, customerId, (tx) => tx.smsMessage.findUniqueOrThrow({ where: { customerId_id: { customerId, id: messageId } } })),
    async close() {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await events.close();
      await workerConnection.quit();
      if (redis.status !== 'end' && redis.status !== 'wait') await redis.quit();
      else if (redis.status === 'wait') redis.disconnect();
      await fakeTwilio.close();
      await Promise.all([db.$disconnect(), platformDb.$disconnect(), pool.end()]);
    },
  };
}

export interface SmsTenantOptions extends Omit<TestTenantOverrides, 'phoneNumbers'> {
  /** Numbers with their purpose; default one voice_and_sms number. */
  numbers?: Array<{ e164?: string; purpose: PhoneNumberPurpose; byok?: boolean; subaccount?: boolean }>;
  /** Stores these as the tenant's own Twilio credentials (encrypted, as onboarding does). */
  byokAccount?: TwilioAccount;
  /** Stores these as the Twilio sub-account the platform created for the tenant. */
  subaccount?: TwilioAccount;
}

export interface SmsTenant {
  customerId: number;
  /** The tenant's numbers, in creation order. */
  numbers: string[];
}

/** A tenant ready to text: created and configured through withPlatform, like onboarding. */
export async function createSmsTenant(harness: Harness, options: SmsTenantOptions = {}): Promise<SmsTenant> {
  const { numbers = [{ purpose: 'voice_and_sms' }], byokAccount, subaccount, ...overrides } = options;
  const wanted = numbers.map((number) => ({ ...number, e164: number.e164 ?? uniquePhone() }));
  const tenant = await createTestTenant(harness.platformDb, { ...overrides, phoneNumbers: [] });
  const { customerId } = tenant;
  await withPlatform(harness.platformDb, { actor: 'test', action: 'test.configure_sms', customerId }, async (tx) => {
    for (const [index, number] of wanted.entries()) {
      // Distinct creation times keep "oldest number first" deterministic.
      await assignPhoneNumber(tx, {
        customerId,
        e164: number.e164,
        purpose: number.purpose,
        twilioAccount: number.byok ? 'byok' : number.subaccount ? 'subaccount' : 'platform',
        createdAt: new Date(Date.now() - (wanted.length - index) * 1000),
      });
    }
    const accounts = [
      ['twilio', byokAccount],
      ['twilio_subaccount', subaccount],
    ] as const;
    for (const [provider, account] of accounts) {
      if (!account) continue;
      await createTestCredential(tx, {
        customerId,
        provider,
        secret: account.authToken,
        keyring: harness.keyring,
        accountIdentifier: account.accountSid,
      });
    }
  });
  return { customerId, numbers: wanted.map((number) => number.e164) };
}

/** Fresh platform-style Twilio credentials for a BYOK tenant. */
export function randomTwilioAccount(): TwilioAccount {
  return { accountSid: uniqueAccountSid(), authToken: randomBytes(16).toString('hex') };
}

/**
 * The set-up the POST /v1/messages test files share: one harness, and shorthands that read it
 * only when called.
 */
export function useMessageRoutes(): {
  harness: Harness;
  /** POST /v1/messages for `customerId`, with a service token from `issuer` (default the orchestrator). */
  post(customerId: number, body: object, issuer?: 'orchestrator' | 'admin-api' | 'gateway'): Promise<Response>;
  /** The texts the fake Twilio was asked to send to `to`. */
  sentTo(to: string): SentMessage[];
} {
  const harness = useHarness(startHarness);
  return {
    harness,
    post: async (customerId, body, issuer = 'orchestrator') =>
      request(harness.app)
        .post('/v1/messages')
        .set('authorization', `Bearer ${await harness.token(issuer, customerId)}`)
        .send(body),
    sentTo: (to) => harness.fakeTwilio.sentMessages().filter((sent) => sent.to === to),
  };
}

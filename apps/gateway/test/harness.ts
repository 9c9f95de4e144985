// Test harness for the gateway's integration tests: the real app over real PostgreSQL,
// with the orchestrator and the sms service replaced by small HTTP servers on 127.0.0.1 (they are
// other teams' services; the gateway only knows their contracts).
import { randomBytes } from 'node:crypto';
import { createServiceTokenSigner, createServiceTokenVerifier, generateServiceKeyPair } from '@neurosphere/auth';
import type { ServiceAuth } from '@neurosphere/auth';
import type { CallInstructions } from '@neurosphere/contracts';
import { createDb, parseKeyring, withPlatform } from '@neurosphere/db';
import type { Db, Keyring } from '@neurosphere/db';
import { createTestCredential, createTestTenant, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import type { TestTenant, TestTenantOverrides } from '@neurosphere/db/testing';
import { createLogger } from '@neurosphere/http';
import { startFakeServer, uniqueAccountSid, uniquePhone, uniqueSuffix, useHarness } from '@neurosphere/testing';
import type { FakeReply, FakeServer, RecordedRequest } from '@neurosphere/testing';
import type { Express } from 'express';
import { Pool } from 'pg';
import request from 'supertest';
import twilio from 'twilio';
import { buildGateway } from '../src/app';
import { createOrchestratorClient } from '../src/clients/orchestrator-client';
import { createRelayClient } from '../src/clients/relay-client';
import type { RelaySocketServer } from '../src/relay/relay-socket-server';
import type { RelayLimits } from '../src/relay/relay-session';
import { createSmsClient } from '../src/clients/sms-client';
export { parseTwiml } from '../src/cli/read-twiml';
export type { TwimlNode } from '../src/cli/read-twiml';
import type { TwimlNode } from '../src/cli/read-twiml';
import { createGatewayMetrics } from '../src/metrics';
import type { GatewayMetrics } from '../src/metrics';

export const PUBLIC_BASE_URL = 'https://voice.gateway.test';

const dbEnv = requireTestDatabaseEnv();

export const greetingInstructions: CallInstructions = {
  speak: [{ type: 'play', audio_token: 'greeting-token-0123456789', text: 'Hello, how can I help?' }],
  next: { type: 'gather', speech_timeout_seconds: 4 },
};

/** What the fake orchestrator answers by default, per route. */
const ORCHESTRATOR_DEFAULTS: Record<string, FakeReply> = {
  'POST /v1/calls/start': { status: 200, body: greetingInstructions },
  'POST /v1/calls/:callSid/turn': {
    status: 200,
    body: { speak: [{ type: 'say', text: 'Sure.' }], next: { type: 'gather', speech_timeout_seconds: 4 } },
  },
  'POST /v1/calls/:callSid/end': { status: 202, body: { success: true } },
};

export interface HarnessOptions {
  orchestratorTimeoutMs?: number;
  /** Point the app at another database URL (e.g. a closed port, to simulate PostgreSQL down). */
  appDatabaseUrl?: string;
  tenantLookupTimeoutMs?: number;
  tenantCacheTtlMs?: number;
  /** Point the app at another orchestrator (e.g. a closed port, to simulate it down). */
  orchestratorUrl?: string;
  /** Point the app at another sms service. */
  smsUrl?: string;
  relayLimits?: Partial<RelayLimits>;
}

export interface Harness {
  app: Express;
  /** The ConversationRelay endpoint; attach it to a server listening on `app` to open sockets. */
  relaySockets: RelaySocketServer;
  platformToken: string;
  keyring: Keyring;
  platformDb: Db;
  orchestrator: FakeServer;
  sms: FakeServer;
  metrics: GatewayMetrics;
  /** Verifies the service JWT a fake received; throws when it is not a valid gateway token for `audience`. */
  verifyToken(recorded: RecordedRequest, audience: 'orchestrator' | 'sms'): Promise<ServiceAuth>;
  /** A tenant on the platform Twilio account. */
  createTenant(overrides?: TestTenantOverrides): Promise<TestTenant & { number: string }>;
  /** A tenant whose number lives in its own Twilio account, with that account's auth token stored encrypted. */
  createByokTenant(authToken: string, overrides?: TestTenantOverrides): Promise<TestTenant & { number: string }>;
  /** A tenant whose number lives in the Twilio sub-account the platform created for it, with that sub-account's auth token stored encrypted. */
  createSubaccountTenant(authToken: string, overrides?: TestTenantOverrides): Promise<TestTenant & { number: string }>;
  /** The current value of a counter, summed over series matching `labels`. */
  counter(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { privateJwk, publicJwk } = await generateServiceKeyPair(`gateway-test-${uniqueSuffix()}`);
  const jwks = { keys: [publicJwk] };
  const signer = createServiceTokenSigner({ issuer: 'gateway', privateJwk });
  const keyring = parseKeyring(JSON.stringify({ 'test-1': randomBytes(32).toString('base64') }), 'test-1');
  const platformToken = randomBytes(16).toString('hex');

  const orchestrator = await startFakeServer(
    Object.fromEntries(Object.entries(ORCHESTRATOR_DEFAULTS).map(([route, reply]) => [route, () => reply])),
  );
  const sms = await startFakeServer({
    'POST /v1/inbound': () => ({ status: 200, body: { success: true, reply: null } }),
    'POST /v1/status-callbacks': () => ({ status: 200, body: { success: true, updated: true } }),
  });

  const appDb = createDb({ url: options.appDatabaseUrl ?? dbEnv.appUrl, poolMax: 4 });
  const platformDb = createDb({ url: dbEnv.platformUrl, poolMax: 2 });
  const pool = new Pool({ connectionString: dbEnv.appUrl, max: 1 });
  const metrics = createGatewayMetrics();
  const logger = createLogger({ service: 'gateway-test', level: 'silent' });

  const orchestratorUrl = options.orchestratorUrl ?? orchestrator.url;
  const { app, relaySockets } = buildGateway({
    logger,
    pool,
    db: appDb,
    keyring,
    metrics,
    orchestrator: createOrchestratorClient({
      baseUrl: orchestratorUrl,
      signer,
      timeoutMs: options.orchestratorTimeoutMs ?? 4000,
      audioTimeoutMs: options.orchestratorTimeoutMs ?? 4000,
    }),
    relay: createRelayClient({ baseUrl: orchestratorUrl, signer, timeoutMs: options.orchestratorTimeoutMs ?? 4000 }),
    sms: createSmsClient({ baseUrl: options.smsUrl ?? sms.url, signer, timeoutMs: options.orchestratorTimeoutMs ?? 4000 }),
    config: {
      publicBaseUrl: PUBLIC_BASE_URL,
      twilioAuthToken: platformToken,
      tenantCacheTtlMs: options.tenantCacheTtlMs ?? 15_000,
      tenantLookupTimeoutMs: options.tenantLookupTimeoutMs ?? 5_000,
      // Silence re-prompts are off unless a test asks for them: they would be a timed side effect.
      relayLimits: { maxMessagesPerSecond: 50, setupTimeoutMs: 10_000, silenceTimeoutMs: 0, ...options.relayLimits },
    },
  });

  const verifiers = {
    orchestrator: createServiceTokenVerifier({ audience: 'orchestrator', allowedIssuers: ['gateway'], jwks }),
    sms: createServiceTokenVerifier({ audience: 'sms', allowedIssuers: ['gateway'], jwks }),
  };

  const createTenant = async (overrides: TestTenantOverrides = {}) => {
    const number = uniquePhone();
    const tenant = await createTestTenant(platformDb, { phoneNumbers: [number], ...overrides });
    return { ...tenant, number: tenant.phoneNumbers[0]?.e164 ?? number };
  };

  async function createTenantInOwnAccount(kind: 'byok' | 'subaccount', authToken: string, overrides: TestTenantOverrides) {
    const tenant = await createTenant(overrides);
    await withPlatform(platformDb, { actor: 'test', action: `test.${kind}_twilio`, customerId: tenant.customerId }, async (tx) => {
      await tx.phoneNumber.update({
        where: { customerId_id: { customerId: tenant.customerId, id: tenant.phoneNumbers[0]!.id } },
        data: { twilioAccount: kind },
      });
      await createTestCredential(tx, {
        customerId: tenant.customerId,
        provider: kind === 'byok' ? 'twilio' : 'twilio_subaccount',
        secret: authToken,
        keyring,
        accountIdentifier: uniqueAccountSid(),
      });
    });
    return tenant;
  }

  return {
    app,
    relaySockets,
    platformToken,
    keyring,
    platformDb,
    orchestrator,
    sms,
    metrics,
    async verifyToken(recorded, audience) {
      const match = /^Bearer (\S+)$/.exec(String(recorded.headers.authorization ?? ''));
      if (!match?.[1]) throw new Error('no bearer token');
      return verifiers[audience](match[1]);
    },
    createTenant,
    createByokTenant: (authToken, overrides = {}) => createTenantInOwnAccount('byok', authToken, overrides),
    createSubaccountTenant: (authToken, overrides = {}) => createTenantInOwnAccount('subaccount', authToken, overrides),
    async counter(name, labels = {}) {
      const metric = await metrics.registry.getSingleMetric(name)?.get();
      if (!metric) throw new Error(`no metric ${name}`);
      return metric.values
        .filter((value) => Object.entries(labels).every(([key, expected]) => String(value.labels[key]) === expected))
        .reduce((sum, value) => sum + value.value, 0);
    },
    async close() {
      await relaySockets.close();
      await Promise.all([orchestrator.close(), sms.close()]);
      await Promise.all([appDb.$disconnect(), platformDb.$disconnect(), pool.end()]);
    },
  };
}

/** Posts a Twilio webhook signed exactly as Twilio signs it (HMAC-SHA1 over URL + sorted params). */
export function postSignedWebhook(
  app: Express,
  path: string,
  params: Record<string, string>,
  options: { authToken: string; signedUrl?: string; signature?: string | null },
) {
  const signature =
    options.signature === undefined
      ? twilio.getExpectedTwilioSignature(options.authToken, options.signedUrl ?? `${PUBLIC_BASE_URL}${path}`, params)
      : options.signature;
  const pending = request(app).post(path).type('form');
  if (signature !== null) pending.set('X-Twilio-Signature', signature);
  return pending.send(params);
}

/**
 * The set-up the call-webhook test files share: one harness with a short orchestrator budget (the
 * fault tests use a fake that never answers, so the fallback comes from the timeout, whatever its
 * length) and shorthands that read the harness only when called.
 */
export function useCallWebhooks() {
  const harness = useHarness(() => startHarness({ orchestratorTimeoutMs: 500 }));
  return {
    harness,
    /** Posts a webhook signed with the platform's Twilio token. */
    post: (path: string, params: Record<string, string>) =>
      postSignedWebhook(harness.app, path, params, { authToken: harness.platformToken }),
    /** What the fake orchestrator received about one call (in its path or body). */
    requestsFor: (callSid: string) =>
      harness.orchestrator.requests.filter(
        (r) => r.path.includes(callSid) || (r.body as { call_sid?: string } | undefined)?.call_sid === callSid,
      ),
    /** Replaces a fake orchestrator route for one call only; other calls keep the default answer. */
    onCall(method: string, pattern: string, callSid: string, reply: () => { status?: number; body?: unknown; hang?: boolean }) {
      const previous = ORCHESTRATOR_DEFAULTS[`${method} ${pattern}`];
      harness.orchestrator.on(method, pattern, (recorded, params) => {
        const sid = params.callSid ?? (recorded.body as { call_sid?: string } | undefined)?.call_sid;
        return sid === callSid ? reply() : (previous ?? { status: 404 });
      });
    },
    /** TwiML verbs as [name, text] pairs; a <Dial> shows the number it dials (its <Number>). */
    verbs: (nodes: TwimlNode[]) =>
      nodes.map((node) => [node.name, node.name === 'Dial' ? (node.children[0]?.text ?? node.text) : node.text]),
  };
}

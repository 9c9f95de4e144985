import { uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { withPlatform } from '@neurosphere/db';
import { createLogger } from '@neurosphere/http';
import { ensureTestTemplateVersion } from '@neurosphere/db/testing';
import request from 'supertest';
import type { Response } from 'supertest';
import { buildApp } from '../src/app';
import { createPlatformOperations } from '../src/domain/platform/create-platform-operations';
import { bearer, createAdmin, PUBLIC_BASE_URL, startPlatformHarness } from './harness';
import type { PlatformHarness } from './harness';

// Issue 15: "a secret never appears in a response, a log line, an audit row or an error message".
// The platform's flows run with known secrets (tenants' Twilio tokens, sub-account tokens,
// OpenAI and ElevenLabs keys), accepted and refused, Twilio answering and unreachable; then every
// response, every audit row written meanwhile, every onboarding record and every log line (debug
// level) is searched for each secret.

const logLines: string[] = [];
const logger = createLogger({
  service: 'admin-api-test',
  level: 'debug',
  destination: new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'));
      callback();
    },
  }),
});

let harness: PlatformHarness;
let asPlatform: string;
const responses: Response[] = [];
const secrets: string[] = [];
const startedAt = new Date();

const secret = (name: string) => {
  const value = `${name}-${randomBytes(16).toString('hex')}`;
  secrets.push(value);
  return value;
};
const keep = (response: Response) => {
  responses.push(response);
  return response;
};

beforeAll(async () => {
  harness = await startPlatformHarness({ logger });
  asPlatform = await bearer(harness.tokens, await createAdmin(harness.platformDb, { isPlatformAdmin: true }));
});
afterAll(() => harness.close());

it('keeps every secret out of responses, audit rows, onboarding records and logs', async () => {
  const template = await ensureTestTemplateVersion(harness.platformDb);
  const document = (overrides: Record<string, unknown>) => ({
    business_name: `Secret Keeping ${uniqueSuffix()}`,
    industry: template.industry,
    template_version: template.version,
    agent_name: 'Sam',
    greeting: 'Hello',
    number: { kind: 'search', area_code: '212' },
    owner_email: `owner-${uniqueSuffix()}@test.example`,
    ...overrides,
  });
  const onboard = (body: object, app = harness.app) =>
    request(app)
      .post('/v1/platform/tenants')
      .set('authorization', asPlatform)
      .set('idempotency-key', `secret-${uniqueSuffix()}`)
      .send(body);

  // A tenant's own Twilio account: refused, then accepted.
  const own = harness.twilio.addAccount({ authToken: secret('twilio-own-token') });
  const existing = harness.twilio.addIncomingNumber(own.sid, uniquePhone());
  keep(await onboard(document({ twilio_account: { kind: 'byok', account_sid: own.sid, auth_token: secret('twilio-wrong-token') } })));
  const byok = keep(
    await onboard(
      document({
        twilio_account: { kind: 'byok', account_sid: own.sid, auth_token: own.authToken },
        number: { kind: 'existing', phone_number: existing.phoneNumber },
      }),
    ),
  );
  expect(byok.status).toBe(201);

  // A sub-account (its token made by Twilio), and Twilio failing half-way.
  harness.twilio.failNext('buyNumber', { status: 500, body: { code: 20500, message: 'Internal Server Error' } });
  keep(await onboard(document({})));
  const sub = keep(await onboard(document({})));
  expect(sub.status).toBe(201);
  secrets.push(harness.twilio.account(sub.body.twilio_account.account_sid as string)!.authToken);

  // Twilio unreachable, with a tenant's token in the document.
  const unreachable = buildApp({
    ...harness.appDeps,
    logger,
    operations: createPlatformOperations(
      {
        PUBLIC_BASE_URL,
        TWILIO_ACCOUNT_SID: harness.platformAccount.sid,
        TWILIO_AUTH_TOKEN: harness.platformAccount.authToken,
        TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
        TWILIO_TIMEOUT_MS: 2_000,
        byokKeyring: harness.keyring,
      },
      logger,
    ),
  });
  keep(
    await onboard(
      document({ twilio_account: { kind: 'byok', account_sid: own.sid, auth_token: secret('twilio-token-unreachable') } }),
      unreachable,
    ),
  );

  // Tenant keys: accepted, refused, rotated, verified.
  const customerId: number = byok.body.tenant.customer_id;
  const owner = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'owner' }] }));
  const credentials = `/v1/tenants/${customerId}/credentials`;
  const refusedKey = secret('sk-refused');
  harness.openai.rejectKey(refusedKey);
  keep(await request(harness.app).put(`${credentials}/openai`).set('authorization', owner).send({ secret: refusedKey }));
  keep(
    await request(harness.app)
      .put(`${credentials}/openai`)
      .set('authorization', owner)
      .send({ secret: secret('sk-accepted') }),
  );
  keep(
    await request(harness.app)
      .post(`${credentials}/openai/rotate`)
      .set('authorization', owner)
      .send({ secret: secret('sk-rotated') }),
  );
  keep(await request(harness.app).post(`${credentials}/openai/verify`).set('authorization', owner).send({}));
  keep(
    await request(harness.app)
      .put(`${credentials}/elevenlabs`)
      .set('authorization', owner)
      .send({ secret: secret('el-accepted') }),
  );
  keep(
    await request(harness.app)
      .put(`${credentials}/twilio`)
      .set('authorization', owner)
      .send({ secret: secret('twilio-wrong-again'), account_sid: own.sid }),
  );
  keep(await request(harness.app).get(credentials).set('authorization', owner));
  keep(await request(harness.app).get(`/v1/platform/tenants/${customerId}/numbers`).set('authorization', asPlatform));
  keep(
    await request(harness.app).post(`/v1/platform/tenants/${customerId}/offboard`).set('authorization', asPlatform).send({ dry_run: true }),
  );

  const written = await withPlatform(harness.platformDb, { actor: 'test', action: 'test.read' }, async (tx) => ({
    platformAudit: await tx.platformAuditLog.findMany({ where: { createdAt: { gte: startedAt } } }),
    tenantAudit: await tx.auditLog.findMany({ where: { createdAt: { gte: startedAt } } }),
    onboarding: await tx.onboardingRequest.findMany({ where: { createdAt: { gte: startedAt } } }),
  }));
  expect(written.platformAudit.length).toBeGreaterThan(10);
  expect(logLines.length).toBeGreaterThan(10);

  const places: Array<[string, string]> = [
    ...responses.map((response, index): [string, string] => [
      `response ${index} (${response.status})`,
      JSON.stringify({ headers: response.headers, body: response.body, text: response.text }),
    ]),
    ['platform audit rows', JSON.stringify(written.platformAudit)],
    ['tenant audit rows', JSON.stringify(written.tenantAudit)],
    ['onboarding records', JSON.stringify(written.onboarding)],
    ['log lines', logLines.join('')],
  ];
  for (const value of secrets) {
    for (const [where, text] of places) expect({ where, leaked: text.includes(value) }).toEqual({ where, leaked: false });
  }
  // The flows above did what they should (the scan is not of empty answers).
  expect(responses.map((response) => response.status)).toEqual([422, 201, 503, 201, 503, 422, 200, 200, 200, 200, 422, 200, 200, 200]);
});

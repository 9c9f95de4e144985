import { randomBytes } from 'node:crypto';
import { decryptCredentialSecret } from '@neurosphere/db';
import { ensureTestTemplateVersion } from '@neurosphere/db/testing';
import { startMailCatcher, TWILIO_ERRORS, uniquePhone, uniqueSuffix, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { buildApp } from '../src/app';
import { createPlatformOperations } from '../src/domain/platform/create-platform-operations';
import { subaccountName } from '../src/domain/onboarding/onboard-tenant';
import { bearer, CONSOLE_ORIGIN, createAdmin, platformRead, PUBLIC_BASE_URL, startPlatformHarness } from './harness';
import type { TestAdmin } from './harness';

// POST /v1/platform/tenants: one idempotent, resumable onboarding, through the real twilio SDK
// against the fake Twilio (sub-accounts, number search and purchase, webhooks).

// The owner's invitation is mailed: a mail catcher stands in for the SMTP server.
const mail = useHarness(startMailCatcher);
const harness = useHarness(() => startPlatformHarness({ smtpUrl: mail.smtpUrl }));
let platformAdmin: TestAdmin;
let asPlatform: string;
let template: { industry: string; version: number };

beforeAll(async () => {
  platformAdmin = await createAdmin(harness.platformDb, { isPlatformAdmin: true });
  asPlatform = await bearer(harness.tokens, platformAdmin);
  template = await ensureTestTemplateVersion(harness.platformDb);
});

function onboardingDocument(overrides: Record<string, unknown> = {}) {
  const suffix = uniqueSuffix();
  return {
    business_name: `Smith Agency ${suffix}`,
    industry: template.industry,
    template_version: template.version,
    agent_name: 'Sarah',
    greeting: `Thanks for calling Smith Agency ${suffix}, this is Sarah.`,
    transfer_number: uniquePhone(),
    help_text: 'Reply STOP to opt out.',
    number: { kind: 'search', area_code: '212' },
    owner_email: `owner-${suffix}@test.example`,
    ...overrides,
  };
}

const newKey = () => `onboard-${randomBytes(8).toString('hex')}`;
const onboard = (document: object, key = newKey()) =>
  request(harness.app).post('/v1/platform/tenants').set('authorization', asPlatform).set('idempotency-key', key).send(document);

const expectedWebhooks = {
  voiceUrl: `${PUBLIC_BASE_URL}/call/incoming`,
  statusCallback: `${PUBLIC_BASE_URL}/call/status`,
  smsUrl: `${PUBLIC_BASE_URL}/sms/incoming`,
};

describe('onboarding a business in one call', () => {
  it('creates a sub-account, buys a number with its webhooks pointed here, then the tenant, its credential and the owner invitation', async () => {
    const document = onboardingDocument();
    const key = newKey();
    const response = await onboard(document, key);
    expect(response.status).toBe(201);
    const { tenant, twilio_account: account, number, owner_invitation: invitation, onboarding } = response.body;
    expect(onboarding).toEqual({ idempotency_key: key, replayed: false, steps_run: ['twilio_account', 'number', 'tenant'] });
    expect(tenant).toMatchObject({
      business_name: document.business_name,
      status: 'active',
      twilio_account: 'subaccount',
      phone_numbers: [number.phone_number],
    });

    // Twilio: one sub-account of the platform's account, named after the key; the number bought into it.
    const subaccount = harness.twilio.account(account.account_sid);
    expect(subaccount).toMatchObject({ ownerAccountSid: harness.platformAccount.sid, friendlyName: subaccountName(key), status: 'active' });
    expect(number.phone_number).toMatch(/^\+1212\d{7}$/);
    expect(harness.twilio.incomingNumbers(account.account_sid)).toEqual([
      expect.objectContaining({
        phoneNumber: number.phone_number,
        sid: number.twilio_sid,
        ...expectedWebhooks,
        voiceMethod: 'POST',
        smsMethod: 'POST',
      }),
    ]);
    expect(number).toMatchObject({
      twilio_account: 'subaccount',
      origin: 'bought',
      webhooks_base_url: PUBLIC_BASE_URL,
      webhooks_point_here: true,
    });

    // The database: the sub-account's token encrypted for this tenant, the owner invited (token hashed).
    const stored = await platformRead(harness.platformDb, async (tx) => ({
      credential: await tx.tenantCredential.findUnique({
        where: { customerId_provider: { customerId: tenant.customer_id, provider: 'twilio_subaccount' } },
      }),
      invitation: await tx.tenantInvitation.findFirst({ where: { customerId: tenant.customer_id } }),
      audit: await tx.auditLog.findMany({ where: { customerId: tenant.customer_id }, orderBy: { createdAt: 'asc' } }),
      platformAudit: await tx.platformAuditLog.findMany({
        where: { details: { path: ['idempotency_key'], equals: key } },
        orderBy: { createdAt: 'asc' },
      }),
    }));
    expect(stored.credential?.accountIdentifier).toBe(account.account_sid);
    expect(
      decryptCredentialSecret({
        customerId: tenant.customer_id,
        provider: 'twilio_subaccount',
        credential: stored.credential!,
        keyring: harness.keyring,
      }),
    ).toBe(subaccount!.authToken);
    expect(stored.invitation).toMatchObject({ email: document.owner_email, role: 'owner', acceptedAt: null });
    expect(invitation).toMatchObject({
      id: stored.invitation!.id,
      email: document.owner_email,
      role: 'owner',
      mailed: true,
      token: expect.stringMatching(/^nsi_\d+-[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/) as unknown,
    });
    const mailed = await mail.waitForMail((candidate) => candidate.to.includes(document.owner_email));
    expect(mailed.subject).toBe(`You are invited to the ${document.business_name} team`);
    expect(mailed.links).toEqual([`${CONSOLE_ORIGIN}/accept-invitation#token=${invitation.token as string}`]);
    expect(stored.audit.map((row) => row.action).sort()).toEqual(['member.invited', 'tenant.onboarded']);
    expect(stored.platformAudit.map((row) => row.action)).toEqual(
      expect.arrayContaining(['onboarding.begin', 'onboarding.step.twilio_account', 'onboarding.step.number', 'tenant.onboard']),
    );
  });

  it('answers a retry with the same key with the same onboarding (200, replayed), doing nothing again', async () => {
    const document = onboardingDocument();
    const key = newKey();
    const first = await onboard(document, key);
    const requestsBefore = harness.twilio.requests.length;
    const again = await onboard(document, key);
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.tenant.customer_id).toBe(first.body.tenant.customer_id);
    expect(again.body.onboarding).toEqual({ idempotency_key: key, replayed: true, steps_run: [] });
    // The invitation's token was shown once.
    expect(again.body.owner_invitation).toMatchObject({ id: first.body.owner_invitation.id, token: null });
    expect(harness.twilio.requests.length).toBe(requestsBefore);
  });

  it('refuses the same key with another document (409)', async () => {
    const key = newKey();
    expect((await onboard(onboardingDocument(), key)).status).toBe(201);
    const other = await onboard(onboardingDocument(), key);
    expect(other.status).toBe(409);
    expect(other.body).toEqual({
      success: false,
      code: 'CONFLICT',
      error: `Idempotency-Key ${key} was used for another onboarding document: use a new key for a new onboarding`,
    });
  });

  it('resumes after Twilio was unreachable half-way (503, Retry-After) without a second sub-account', async () => {
    const document = onboardingDocument();
    const key = newKey();
    harness.twilio.failNext('searchNumbers', TWILIO_ERRORS.serviceUnavailable);
    const failed = await onboard(document, key);
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('30');
    expect(failed.body).toMatchObject({
      code: 'UNAVAILABLE',
      error: expect.stringContaining('Twilio could not be reached while searching for available numbers') as unknown,
    });

    const resumed = await onboard(document, key);
    expect(resumed.status).toBe(201);
    expect(resumed.body.onboarding.steps_run).toEqual(['number', 'tenant']);
    expect(harness.twilio.accounts().filter((account) => account.friendlyName === subaccountName(key))).toHaveLength(1);
  });

  it('never buys a second number when Twilio bought one but its answer was lost', async () => {
    const document = onboardingDocument();
    const key = newKey();
    harness.twilio.loseNextAnswer('buyNumber');
    const failed = await onboard(document, key);
    expect(failed.status).toBe(503);

    const resumed = await onboard(document, key);
    expect(resumed.status).toBe(201);
    const accountSid: string = resumed.body.twilio_account.account_sid;
    expect(harness.twilio.incomingNumbers(accountSid)).toEqual([
      expect.objectContaining({ phoneNumber: resumed.body.number.phone_number, ...expectedWebhooks }),
    ]);
    const purchases = harness.twilio.requests.filter(
      (recorded) => recorded.method === 'POST' && recorded.path === `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json`,
    );
    expect(purchases).toHaveLength(1);
  });

  it('never creates a second sub-account when Twilio created one but its answer was lost', async () => {
    const document = onboardingDocument();
    const key = newKey();
    harness.twilio.loseNextAnswer('createAccount');
    expect((await onboard(document, key)).status).toBe(503);
    const resumed = await onboard(document, key);
    expect(resumed.status).toBe(201);
    expect(
      harness.twilio
        .accounts()
        .filter((account) => account.friendlyName === subaccountName(key))
        .map((account) => account.sid),
    ).toEqual([resumed.body.twilio_account.account_sid]);
  });

  it.each([
    [
      'the number is no longer available (Twilio 21422)',
      () => {
        const number = uniquePhone();
        return { document: onboardingDocument({ number: { kind: 'available', phone_number: number } }), before: () => undefined };
      },
      409,
      'CONFLICT',
      'The number is no longer available to buy (Twilio 21422)',
    ],
    [
      'the account has no funds (Twilio 20005)',
      () => ({
        document: onboardingDocument(),
        before: () => harness.twilio.setFundsExhausted(harness.platformAccount.sid, true),
      }),
      422,
      'UNPROCESSABLE',
      'The tenant’s Twilio sub-account is not active, most often for lack of funds (Twilio 20005)',
    ],
  ])('answers %s naming the cause, and leaves nothing half-created', async (_case, setUp, status, code, message) => {
    const { document, before } = setUp();
    const key = newKey();
    before();
    try {
      const response = await onboard(document, key);
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({ success: false, code, error: expect.stringContaining(message) as unknown });
    } finally {
      harness.twilio.setFundsExhausted(harness.platformAccount.sid, false);
    }
    // The sub-account made for it is closed again; no tenant exists; the onboarding is marked failed.
    const subaccounts = harness.twilio.accounts().filter((account) => account.friendlyName === subaccountName(key));
    expect(subaccounts.map((account) => account.status)).toEqual(['closed']);
    expect(harness.twilio.incomingNumbers(subaccounts[0]!.sid)).toEqual([]);
    const rows = await platformRead(harness.platformDb, async (tx) => ({
      tenants: await tx.customer.count({ where: { businessName: document.business_name as string } }),
      onboarding: await tx.onboardingRequest.findUnique({ where: { idempotencyKey: key } }),
    }));
    expect(rows.tenants).toBe(0);
    expect(rows.onboarding).toMatchObject({ status: 'failed', state: {}, lastError: { code } });
  });

  it("checks a tenant's own Twilio account before anything: wrong credentials are a 422 naming Twilio 20003", async () => {
    const own = harness.twilio.addAccount();
    const response = await onboard(
      onboardingDocument({ twilio_account: { kind: 'byok', account_sid: own.sid, auth_token: 'not-the-auth-token' } }),
    );
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      success: false,
      code: 'UNPROCESSABLE',
      error: 'Twilio refused the credentials of the tenant’s own Twilio account (Twilio 20003) while checking the account’s credentials',
    });
    expect(JSON.stringify(response.body)).not.toContain('not-the-auth-token');
  });

  it("attaches a number the tenant's own account has, webhooks set, and stores its credentials", async () => {
    const own = harness.twilio.addAccount();
    const existing = harness.twilio.addIncomingNumber(own.sid, uniquePhone());
    const response = await onboard(
      onboardingDocument({
        twilio_account: { kind: 'byok', account_sid: own.sid, auth_token: own.authToken },
        number: { kind: 'existing', phone_number: existing.phoneNumber },
      }),
    );
    expect(response.status).toBe(201);
    expect(response.body.number).toMatchObject({
      phone_number: existing.phoneNumber,
      twilio_sid: existing.sid,
      origin: 'attached',
      twilio_account: 'byok',
    });
    expect(harness.twilio.incomingNumbers(own.sid)).toEqual([expect.objectContaining({ sid: existing.sid, ...expectedWebhooks })]);
    expect(response.body.tenant.twilio_account).toBe('byok');
  });

  it('refuses a number a tenant already has with 409 before calling Twilio', async () => {
    const first = await onboard(onboardingDocument());
    const taken: string = first.body.number.phone_number;
    const requestsBefore = harness.twilio.requests.length;
    const response = await onboard(
      onboardingDocument({ twilio_account: { kind: 'platform' }, number: { kind: 'existing', phone_number: taken } }),
    );
    expect(response.status).toBe(409);
    expect(response.body).toEqual({
      success: false,
      code: 'CONFLICT',
      error: `Phone number ${taken} is already assigned to a tenant`,
      details: [{ path: 'number.phone_number', message: `${taken} is already assigned to a tenant` }],
    });
    expect(harness.twilio.requests.length).toBe(requestsBefore);
  });

  it.each([
    [{}, { 'idempotency-key': undefined }, 'headers.idempotency-key', 'Idempotency-Key header is required'],
    [{ number: { kind: 'search', area_code: '21' } }, {}, 'body.number.area_code', 'area_code must be three digits'],
    [{ owner_password: 'a-password-in-a-document' }, {}, 'body', "Unrecognized key(s) in object: 'owner_password'"],
    [
      { twilio_account: { kind: 'byok', account_sid: 'AC1' } },
      {},
      'body.twilio_account.account_sid',
      'account_sid must be a Twilio Account SID (AC + 32 hex digits)',
    ],
  ])('answers 400 naming the field for %j', async (overrides, headers, path, message) => {
    const call = request(harness.app).post('/v1/platform/tenants').set('authorization', asPlatform);
    if (!('idempotency-key' in headers)) call.set('idempotency-key', newKey());
    const response = await call.send(onboardingDocument(overrides));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      success: false,
      code: 'VALIDATION_FAILED',
      details: expect.arrayContaining([{ path, message }]) as unknown,
    });
  });

  it('answers 400 naming an unknown template version, before any Twilio call', async () => {
    const requestsBefore = harness.twilio.requests.length;
    const response = await onboard(onboardingDocument({ template_version: 9999 }));
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([
      { path: 'body.template_version', message: `industry "${template.industry}" has no template version 9999` },
    ]);
    expect(harness.twilio.requests.length).toBe(requestsBefore);
  });

  it('answers 503 with Retry-After when Twilio cannot be reached at all', async () => {
    const operations = createPlatformOperations(
      {
        PUBLIC_BASE_URL,
        TWILIO_ACCOUNT_SID: harness.platformAccount.sid,
        TWILIO_AUTH_TOKEN: harness.platformAccount.authToken,
        TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
        TWILIO_TIMEOUT_MS: 2_000,
        byokKeyring: harness.keyring,
      },
      harness.operations.logger,
    );
    const app = buildApp({ ...harness.appDeps, operations });
    const response = await request(app)
      .post('/v1/platform/tenants')
      .set('authorization', asPlatform)
      .set('idempotency-key', newKey())
      .send(onboardingDocument());
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.body).toMatchObject({
      code: 'UNAVAILABLE',
      error: expect.stringContaining('Twilio could not be reached while looking for the tenant’s sub-account') as unknown,
    });
  });
});

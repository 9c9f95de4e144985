import { uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { buildApp } from '../src/app';
import { createPlatformOperations } from '../src/domain/platform/create-platform-operations';
import { bearer, createAdmin, onboardTestTenant, platformRead, PUBLIC_BASE_URL, startPlatformHarness } from './harness';

// A tenant's numbers: search, buy, attach, move, release and repair webhooks, through the real
// twilio SDK against the fake Twilio, which holds the webhook URLs each number really has.

const harness = useHarness(startPlatformHarness);
let asPlatform: string;

beforeAll(async () => {
  asPlatform = await bearer(harness.tokens, await createAdmin(harness.platformDb, { isPlatformAdmin: true }));
});

const webhooksAt = (base: string) => ({
  voiceUrl: `${base}/call/incoming`,
  statusCallback: `${base}/call/status`,
  smsUrl: `${base}/sms/incoming`,
});
const numbersPath = (customerId: number) => `/v1/platform/tenants/${customerId}/numbers`;

describe('numbers', () => {
  it("searches the tenant's account for numbers for sale", async () => {
    const onboarded = await onboardTestTenant(harness, asPlatform);
    const wanted = `+1415${Math.floor(2_000_000 + Math.random() * 7_000_000)}`;
    harness.twilio.addAvailableNumbers(wanted);
    const response = await request(harness.app)
      .get(`/v1/platform/tenants/${onboarded.tenant.customer_id}/available-numbers?area_code=415&contains=${wanted.slice(5, 9)}&sms=true`)
      .set('authorization', asPlatform);
    expect(response.status).toBe(200);
    expect(response.body.numbers).toEqual(
      expect.arrayContaining([{ phone_number: wanted, locality: null, region: null, capabilities: { voice: true, sms: true } }]),
    );
    const search = harness.twilio.requests.find(
      (recorded) => recorded.path.endsWith('/AvailablePhoneNumbers/US/Local.json') && recorded.query.get('Contains') === wanted.slice(5, 9),
    );
    expect(search?.path).toBe(`/2010-04-01/Accounts/${onboarded.twilio_account.account_sid}/AvailablePhoneNumbers/US/Local.json`);
  });

  it("buys a number seen in a search into the tenant's sub-account, with its webhooks pointed here", async () => {
    const onboarded = await onboardTestTenant(harness, asPlatform);
    const wanted = uniquePhone();
    harness.twilio.addAvailableNumbers(wanted);
    const response = await request(harness.app)
      .post(numbersPath(onboarded.tenant.customer_id))
      .set('authorization', asPlatform)
      .send({ number: { kind: 'available', phone_number: wanted }, purpose: 'sms' });
    expect(response.status).toBe(201);
    expect(response.body.number).toMatchObject({
      phone_number: wanted,
      purpose: 'sms',
      origin: 'bought',
      twilio_account: 'subaccount',
      webhooks_point_here: true,
    });
    expect(harness.twilio.incomingNumbers(onboarded.twilio_account.account_sid)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ phoneNumber: wanted, sid: response.body.number.twilio_sid, ...webhooksAt(PUBLIC_BASE_URL) }),
      ]),
    );
    const audit = await platformRead(harness.platformDb, (tx) =>
      tx.auditLog.findMany({ where: { customerId: onboarded.tenant.customer_id, action: 'number.added' } }),
    );
    expect(audit).toEqual([expect.objectContaining({ details: { phone_number: wanted, origin: 'bought' } })]);
  });

  it('answers 409 for a number another tenant has, without calling Twilio', async () => {
    const owner = await onboardTestTenant(harness, asPlatform);
    const other = await onboardTestTenant(harness, asPlatform);
    const before = harness.twilio.requests.length;
    const response = await request(harness.app)
      .post(numbersPath(other.tenant.customer_id))
      .set('authorization', asPlatform)
      .send({ number: { kind: 'available', phone_number: owner.number.phone_number } });
    expect(response.status).toBe(409);
    expect(response.body.error).toBe(`Phone number ${owner.number.phone_number} is already assigned to a tenant`);
    expect(harness.twilio.requests.length).toBe(before);
  });

  it('answers 422 naming Twilio 20005 when the account cannot buy, and records nothing', async () => {
    const onboarded = await onboardTestTenant(harness, asPlatform);
    harness.twilio.setFundsExhausted(onboarded.twilio_account.account_sid, true);
    const response = await request(harness.app)
      .post(numbersPath(onboarded.tenant.customer_id))
      .set('authorization', asPlatform)
      .send({ number: { kind: 'search', area_code: '646' } });
    expect(response.status).toBe(422);
    expect(response.body.error).toContain('(Twilio 20005)');
    const numbers = await request(harness.app).get(numbersPath(onboarded.tenant.customer_id)).set('authorization', asPlatform);
    expect(numbers.body.numbers).toHaveLength(1);
  });

  it('attaches a number the account has (origin attached), and releasing it only detaches it', async () => {
    const onboarded = await onboardTestTenant(harness, asPlatform);
    const existing = harness.twilio.addIncomingNumber(onboarded.twilio_account.account_sid, uniquePhone());
    const attached = await request(harness.app)
      .post(numbersPath(onboarded.tenant.customer_id))
      .set('authorization', asPlatform)
      .send({ number: { kind: 'existing', phone_number: existing.phoneNumber } });
    expect(attached.status).toBe(201);
    expect(attached.body.number).toMatchObject({ origin: 'attached', twilio_sid: existing.sid });
    expect(harness.twilio.incomingNumbers().find((number) => number.sid === existing.sid)).toMatchObject(webhooksAt(PUBLIC_BASE_URL));

    const released = await request(harness.app)
      .delete(`${numbersPath(onboarded.tenant.customer_id)}/${encodeURIComponent(existing.phoneNumber)}`)
      .set('authorization', asPlatform);
    expect(released.body).toEqual({ success: true, phone_number: existing.phoneNumber, released_from_twilio: false });
    // Twilio clears a URL when it is set to nothing.
    expect(harness.twilio.incomingNumbers().find((number) => number.sid === existing.sid)).toMatchObject({
      voiceUrl: '',
      statusCallback: '',
      smsUrl: '',
    });
  });

  it('releases a bought number back to Twilio: it no longer routes to the tenant', async () => {
    const onboarded = await onboardTestTenant(harness, asPlatform);
    const released = await request(harness.app)
      .delete(`${numbersPath(onboarded.tenant.customer_id)}/${onboarded.number.phone_number}`)
      .set('authorization', asPlatform);
    expect(released.status).toBe(200);
    expect(released.body.released_from_twilio).toBe(true);
    expect(harness.twilio.incomingNumbers().some((number) => number.sid === onboarded.number.twilio_sid)).toBe(false);
    const e164 = onboarded.number.phone_number;
    const left = await platformRead(harness.platformDb, async (tx) => ({
      row: await tx.phoneNumber.findFirst({ where: { e164 } }),
      route: await tx.numberRoute.findUnique({ where: { e164 } }),
    }));
    expect(left).toEqual({ row: null, route: null });
  });

  it("moves a number to another tenant, into that tenant's sub-account", async () => {
    const from = await onboardTestTenant(harness, asPlatform);
    const to = await onboardTestTenant(harness, asPlatform);
    const moved = await request(harness.app)
      .post(`${numbersPath(from.tenant.customer_id)}/${from.number.phone_number}/move`)
      .set('authorization', asPlatform)
      .send({ to_customer_id: to.tenant.customer_id });
    expect(moved.status).toBe(200);
    expect(harness.twilio.incomingNumbers().find((number) => number.sid === from.number.twilio_sid)?.accountSid).toBe(
      to.twilio_account.account_sid,
    );
    const e164 = from.number.phone_number;
    const now = await platformRead(harness.platformDb, async (tx) => ({
      rows: await tx.phoneNumber.findMany({ where: { e164 } }),
      route: await tx.numberRoute.findUnique({ where: { e164 } }),
    }));
    expect(now.rows).toEqual([expect.objectContaining({ customerId: to.tenant.customer_id, twilioAccount: 'subaccount' })]);
    expect(now.route).toMatchObject({ customerId: to.tenant.customer_id });
  });

  it("refuses to move a number out of a tenant's own account (422), leaving it where it is", async () => {
    const own = harness.twilio.addAccount();
    const existing = harness.twilio.addIncomingNumber(own.sid, uniquePhone());
    const from = await onboardTestTenant(harness, asPlatform, {
      twilio_account: { kind: 'byok', account_sid: own.sid, auth_token: own.authToken },
      number: { kind: 'existing', phone_number: existing.phoneNumber },
    });
    const to = await onboardTestTenant(harness, asPlatform);
    const moved = await request(harness.app)
      .post(`${numbersPath(from.tenant.customer_id)}/${existing.phoneNumber}/move`)
      .set('authorization', asPlatform)
      .send({ to_customer_id: to.tenant.customer_id });
    expect(moved.status).toBe(422);
    expect(moved.body.error).toBe(
      `${existing.phoneNumber} cannot move from the tenant’s own Twilio account to the other tenant’s Twilio sub-account: the platform moves numbers only between its own Twilio accounts`,
    );
  });

  it('repairs webhooks after the public URL changed, number by number', async () => {
    const onboarded = await onboardTestTenant(harness, asPlatform);
    const newBase = 'https://voice-new.platform.test';
    const operations = createPlatformOperations(
      {
        PUBLIC_BASE_URL: newBase,
        TWILIO_ACCOUNT_SID: harness.platformAccount.sid,
        TWILIO_AUTH_TOKEN: harness.platformAccount.authToken,
        TWILIO_API_BASE_URL: harness.twilio.url,
        TWILIO_TIMEOUT_MS: 5_000,
        byokKeyring: harness.keyring,
      },
      harness.operations.logger,
    );
    const moved = buildApp({ ...harness.appDeps, operations });
    const before = await request(moved).get(numbersPath(onboarded.tenant.customer_id)).set('authorization', asPlatform);
    expect(before.body.numbers[0].webhooks_point_here).toBe(false);

    const repaired = await request(moved)
      .post('/v1/platform/numbers/repair-webhooks')
      .set('authorization', asPlatform)
      .send({ customer_id: onboarded.tenant.customer_id });
    expect(repaired.status).toBe(200);
    expect(repaired.body.numbers).toEqual([
      { phone_number: onboarded.number.phone_number, customer_id: onboarded.tenant.customer_id, outcome: 'repaired', error: null },
    ]);
    expect(harness.twilio.incomingNumbers().find((number) => number.sid === onboarded.number.twilio_sid)).toMatchObject(
      webhooksAt(newBase),
    );
    const after = await request(moved).get(numbersPath(onboarded.tenant.customer_id)).set('authorization', asPlatform);
    expect(after.body.numbers[0]).toMatchObject({ webhooks_base_url: newBase, webhooks_point_here: true });
  });
});

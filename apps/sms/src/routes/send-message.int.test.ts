import { withTenant } from '@neurosphere/db';
import request from 'supertest';
import { createSmsTenant, randomTwilioAccount, startSmsHarness, STATUS_CALLBACK_BASE, uniquePhone } from '../test-support/sms-harness';
import type { SmsHarness } from '../test-support/sms-harness';

describe('POST /v1/messages', () => {
  let harness: SmsHarness;

  beforeAll(async () => {
    harness = await startSmsHarness();
  });
  afterAll(async () => {
    await harness.close();
  });

  const post = async (customerId: number, body: object, issuer: 'orchestrator' | 'admin-api' | 'gateway' = 'orchestrator') =>
    request(harness.app)
      .post('/v1/messages')
      .set('authorization', `Bearer ${await harness.token(issuer, customerId)}`)
      .send(body);

  const sentTo = (to: string) => harness.fakeTwilio.sentMessages().filter((sent) => sent.to === to);

  describe('sending', () => {
    it("sends from the tenant's SMS number through the platform account, with a status callback", async () => {
      const tenant = await createSmsTenant(harness, { numbers: [{ purpose: 'voice' }, { purpose: 'voice_and_sms' }, { purpose: 'sms' }] });
      const to = uniquePhone();
      const response = await post(tenant.customerId, { to, body: 'Sorry we missed your call' });

      expect(response.status).toBe(202);
      expect(response.body).toEqual({
        success: true,
        message: expect.objectContaining({ direction: 'outbound', to, from: tenant.numbers[2], body: 'Sorry we missed your call', status: 'queued', twilio_sid: null }),
      });
      const messageId: string = response.body.message.id;
      await harness.waitForSend(tenant.customerId, messageId);

      const [sent, ...others] = sentTo(to);
      expect(others).toEqual([]);
      expect(sent).toEqual(
        expect.objectContaining({
          from: tenant.numbers[2],
          body: 'Sorry we missed your call',
          accountSid: harness.platformAccount.accountSid,
          username: harness.platformAccount.accountSid,
          password: harness.platformAccount.authToken,
          statusCallback: `${STATUS_CALLBACK_BASE}/sms/status`,
        }),
      );
      const stored = await harness.message(tenant.customerId, messageId);
      expect(stored).toMatchObject({ status: 'sent', twilioSid: sent?.sid, attempts: 1, errorCode: null });
      expect(stored.sentAt).toBeInstanceOf(Date);
    });

    it("sends a BYOK number's texts with the tenant's own Twilio credentials", async () => {
      const byokAccount = randomTwilioAccount();
      const tenant = await createSmsTenant(harness, { numbers: [{ purpose: 'voice_and_sms', byok: true }], byokAccount });
      const to = uniquePhone();
      const response = await post(tenant.customerId, { to, body: 'Your own account' });
      expect(response.status).toBe(202);
      await harness.waitForSend(tenant.customerId, response.body.message.id);

      expect(sentTo(to)).toEqual([
        expect.objectContaining({
          from: tenant.numbers[0],
          accountSid: byokAccount.accountSid,
          username: byokAccount.accountSid,
          password: byokAccount.authToken,
        }),
      ]);
    });

    it("sends a sub-account number's texts with the sub-account's credentials, and meters its segments", async () => {
      const parent = harness.fakeTwilio.addAccount();
      const sub = harness.fakeTwilio.addAccount({ ownerAccountSid: parent.sid });
      const tenant = await createSmsTenant(harness, {
        numbers: [{ purpose: 'voice_and_sms', subaccount: true }],
        subaccount: { accountSid: sub.sid, authToken: sub.authToken },
      });
      const to = uniquePhone();
      const body = 'A longer text that needs two segments. '.repeat(5);
      const response = await post(tenant.customerId, { to, body });
      expect(response.status).toBe(202);
      await harness.waitForSend(tenant.customerId, response.body.message.id);

      expect(sentTo(to)).toEqual([expect.objectContaining({ from: tenant.numbers[0], accountSid: sub.sid, username: sub.sid, password: sub.authToken, numSegments: 2 })]);
      const usage = await withTenant(harness.db, tenant.customerId, (tx) => tx.usageRecord.findMany({ where: { customerId: tenant.customerId } }));
      expect(usage.map((record) => [record.kind, Number(record.quantity), record.idempotencyKey])).toEqual([
        ['sms_segments_out', 2, `sms-out:${response.body.message.id as string}`],
      ]);
    });

    it('fails a sub-account number whose credentials Twilio refuses, naming the code, without retrying', async () => {
      const parent = harness.fakeTwilio.addAccount();
      const sub = harness.fakeTwilio.addAccount({ ownerAccountSid: parent.sid });
      const tenant = await createSmsTenant(harness, {
        numbers: [{ purpose: 'sms', subaccount: true }],
        subaccount: { accountSid: sub.sid, authToken: 'not-the-token' },
      });
      const response = await post(tenant.customerId, { to: uniquePhone(), body: 'wrong token' });
      await expect(harness.waitForSend(tenant.customerId, response.body.message.id)).rejects.toThrow('20003');
      expect(await harness.message(tenant.customerId, response.body.message.id)).toMatchObject({ status: 'failed', errorCode: '20003', attempts: 1 });
    });

    it('fails a BYOK number without stored credentials permanently, without calling Twilio', async () => {
      const tenant = await createSmsTenant(harness, { numbers: [{ purpose: 'sms', byok: true }] });
      const to = uniquePhone();
      const response = await post(tenant.customerId, { to, body: 'no creds' });
      await expect(harness.waitForSend(tenant.customerId, response.body.message.id)).rejects.toThrow('BYOK_CREDENTIALS_MISSING');
      expect(harness.fakeTwilio.requests.filter((recorded) => (recorded.body as { To?: string } | undefined)?.To === to)).toEqual([]);
      expect(await harness.message(tenant.customerId, response.body.message.id)).toMatchObject({ status: 'failed', errorCode: 'BYOK_CREDENTIALS_MISSING' });
    });

    it('refuses a tenant without a number that can text', async () => {
      const tenant = await createSmsTenant(harness, { numbers: [{ purpose: 'voice' }] });
      const response = await post(tenant.customerId, { to: uniquePhone(), body: 'hi' });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        success: false,
        error: 'This business has no phone number that can send texts (purpose sms or voice_and_sms)',
        code: 'UNPROCESSABLE',
      });
    });
  });

  describe('idempotency', () => {
    it('sends once for a repeated idempotency key and answers with the first message', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      const body = { to, body: 'Here is the link', idempotency_key: 'CA123:tool-1' };
      const first = await post(tenant.customerId, body);
      expect(first.status).toBe(202);
      await harness.waitForSend(tenant.customerId, first.body.message.id);

      const again = await post(tenant.customerId, body);
      expect(again.status).toBe(202);
      expect(again.body.message).toMatchObject({ id: first.body.message.id, status: 'sent' });
      expect(sentTo(to)).toHaveLength(1);
    });

    it('sends once when the same key arrives concurrently', async () => {
      const tenant = await createSmsTenant(harness, { smsRateLimitPerMinute: 100 });
      const to = uniquePhone();
      const body = { to, body: 'Concurrent', idempotency_key: 'same-key' };
      const responses = await Promise.all(Array.from({ length: 5 }, () => post(tenant.customerId, body)));
      expect(responses.map((response) => response.status)).toEqual([202, 202, 202, 202, 202]);
      const ids = new Set(responses.map((response) => response.body.message.id as string));
      expect(ids.size).toBe(1);
      await harness.waitForSend(tenant.customerId, [...ids][0]!);
      expect(sentTo(to)).toHaveLength(1);
    });

    it('keeps idempotency keys per tenant', async () => {
      const [a, b] = await Promise.all([createSmsTenant(harness), createSmsTenant(harness)]);
      const to = uniquePhone();
      const first = await post(a.customerId, { to, body: 'same key', idempotency_key: 'shared' });
      const second = await post(b.customerId, { to, body: 'same key', idempotency_key: 'shared' });
      expect([first.status, second.status]).toEqual([202, 202]);
      expect(second.body.message.id).not.toBe(first.body.message.id);
      await Promise.all([harness.waitForSend(a.customerId, first.body.message.id), harness.waitForSend(b.customerId, second.body.message.id)]);
      expect(sentTo(to)).toHaveLength(2);
    });

    it('answers 409 when a key is reused for a different message', async () => {
      const tenant = await createSmsTenant(harness);
      await post(tenant.customerId, { to: uniquePhone(), body: 'first', idempotency_key: 'k1' });
      const response = await post(tenant.customerId, { to: uniquePhone(), body: 'second', idempotency_key: 'k1' });
      expect(response.status).toBe(409);
      expect(response.body).toEqual({
        success: false,
        error: 'This idempotency_key was already used for a different message',
        code: 'CONFLICT',
        details: [{ path: 'idempotency_key', message: 'already used with another recipient, body or template' }],
      });
    });
  });

  describe('Twilio failures', () => {
    it('retries after a Twilio 500 and sends exactly once', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      harness.fakeTwilio.queueFailures({ status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } });
      const response = await post(tenant.customerId, { to, body: 'after a hiccup' });
      await harness.waitForSend(tenant.customerId, response.body.message.id);

      expect(sentTo(to)).toHaveLength(1);
      const stored = await harness.message(tenant.customerId, response.body.message.id);
      expect(stored).toMatchObject({ status: 'sent', attempts: 2, errorCode: null, twilioSid: sentTo(to)[0]?.sid });
    });

    it('retries a Twilio 429', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      harness.fakeTwilio.queueFailures({ status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
      const response = await post(tenant.customerId, { to, body: 'slow down' });
      await harness.waitForSend(tenant.customerId, response.body.message.id);
      expect(sentTo(to)).toHaveLength(1);
    });

    it('records an invalid number as failed with the Twilio code and does not retry', async () => {
      const tenant = await createSmsTenant(harness);
      harness.fakeTwilio.queueFailures({ status: 400, body: { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 } });
      const before = harness.fakeTwilio.requests.length;
      const response = await post(tenant.customerId, { to: uniquePhone(), body: 'never arrives' });
      await expect(harness.waitForSend(tenant.customerId, response.body.message.id)).rejects.toThrow('21211');

      expect(harness.fakeTwilio.requests.length - before).toBe(1);
      const job = await harness.queue.getJob(`sms:${tenant.customerId}:${response.body.message.id}`);
      expect(job?.attemptsMade).toBe(1);
      expect(await harness.message(tenant.customerId, response.body.message.id)).toMatchObject({
        status: 'failed',
        errorCode: '21211',
        errorMessage: "The 'To' number is not a valid phone number.",
        twilioSid: null,
      });
    });

    it('records an unsubscribed recipient (21610) as failed and as opted out', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      harness.fakeTwilio.queueFailures({ status: 400, body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 } });
      const response = await post(tenant.customerId, { to, body: 'blocked' });
      await expect(harness.waitForSend(tenant.customerId, response.body.message.id)).rejects.toThrow('21610');
      expect(await harness.message(tenant.customerId, response.body.message.id)).toMatchObject({ status: 'failed', errorCode: '21610' });

      const next = await post(tenant.customerId, { to, body: 'again' });
      expect(next.status).toBe(422);
      expect(next.body.code).toBe('RECIPIENT_OPTED_OUT');
    });

    it('records a message as failed once the retries run out', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      const outage = { status: 503, body: { code: 20503, message: 'Service Unavailable', status: 503 } };
      harness.fakeTwilio.queueFailures(outage, outage, outage, outage);
      const response = await post(tenant.customerId, { to, body: 'outage' });
      await expect(harness.waitForSend(tenant.customerId, response.body.message.id)).rejects.toThrow('20503');
      expect(sentTo(to)).toEqual([]);
      expect(await harness.message(tenant.customerId, response.body.message.id)).toMatchObject({ status: 'failed', errorCode: '20503', attempts: 4 });
    });
  });

  describe('opt-out, rate limit, templates', () => {
    it('refuses an opted-out recipient with 422 RECIPIENT_OPTED_OUT, records the attempt, sends nothing', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      await withTenant(harness.db, tenant.customerId, (tx) => tx.smsOptOut.create({ data: { customerId: tenant.customerId, phone: to, keyword: 'STOP' } }));

      const response = await post(tenant.customerId, { to, body: 'are you there?' });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({
        success: false,
        error: 'The recipient has opted out of texts from this business (replied STOP); the text was not sent',
        code: 'RECIPIENT_OPTED_OUT',
        details: [{ path: 'to', message: 'recipient opted out' }],
      });
      const recorded = await withTenant(harness.db, tenant.customerId, (tx) => tx.smsMessage.findMany({ where: { customerId: tenant.customerId, toNumber: to } }));
      expect(recorded).toEqual([expect.objectContaining({ status: 'failed', errorCode: 'RECIPIENT_OPTED_OUT', body: 'are you there?' })]);
      expect(sentTo(to)).toEqual([]);
    });

    it("limits each tenant to its texts per minute with 429, without touching other tenants", async () => {
      const [limited, other] = await Promise.all([createSmsTenant(harness, { smsRateLimitPerMinute: 2 }), createSmsTenant(harness, { smsRateLimitPerMinute: 2 })]);
      const statuses: number[] = [];
      let refused: request.Response | undefined;
      for (let i = 0; i < 3; i++) {
        const response = await post(limited.customerId, { to: uniquePhone(), body: `text ${i}` });
        statuses.push(response.status);
        if (response.status === 429) refused = response;
      }
      expect(statuses).toEqual([202, 202, 429]);
      expect(refused?.body).toEqual({
        success: false,
        error: expect.stringMatching(/^Rate limit reached: this business may send 2 texts per minute; retry in \d+ s$/),
        code: 'RATE_LIMITED',
      });
      expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
      expect((await post(other.customerId, { to: uniquePhone(), body: 'unaffected' })).status).toBe(202);
    });

    it("renders a tenant template with the caller's profile and explicit variables", async () => {
      const tenant = await createSmsTenant(harness, { businessName: 'Test Insurance Co' });
      const to = uniquePhone();
      await withTenant(harness.db, tenant.customerId, async (tx) => {
        await tx.smsTemplate.create({
          data: { customerId: tenant.customerId, name: 'missed_call', body: 'Hi {{name}}, {{business_name}} missed your call about {{topic}}. {{ link }}' },
        });
        await tx.callerProfile.create({ data: { customerId: tenant.customerId, userId: to, name: 'Dana', variables: { topic: 'your policy' } } });
      });
      const response = await post(tenant.customerId, { to, template: 'missed_call', variables: { link: 'https://example.test/cb' } });
      expect(response.status).toBe(202);
      expect(response.body.message).toMatchObject({
        template: 'missed_call',
        body: 'Hi Dana, Test Insurance Co missed your call about your policy. https://example.test/cb',
      });
      await harness.waitForSend(tenant.customerId, response.body.message.id);
      expect(sentTo(to).map((sent) => sent.body)).toEqual(['Hi Dana, Test Insurance Co missed your call about your policy. https://example.test/cb']);
    });

    it('answers 422 naming each missing placeholder, and an unknown template, writing nothing', async () => {
      const tenant = await createSmsTenant(harness);
      const to = uniquePhone();
      await withTenant(harness.db, tenant.customerId, (tx) =>
        tx.smsTemplate.create({ data: { customerId: tenant.customerId, name: 'follow_up', body: 'Hi {{name}}, about {{topic}}' } }),
      );
      const missing = await post(tenant.customerId, { to, template: 'follow_up' });
      expect(missing.status).toBe(422);
      expect(missing.body).toEqual({
        success: false,
        error: 'SMS template "follow_up" needs {{name}}, {{topic}}: pass them in variables or store them on the caller profile',
        code: 'UNPROCESSABLE',
        details: [
          { path: 'variables.name', message: 'template placeholder {{name}} has no value' },
          { path: 'variables.topic', message: 'template placeholder {{topic}} has no value' },
        ],
      });
      const unknown = await post(tenant.customerId, { to, template: 'nope' });
      expect(unknown.status).toBe(422);
      expect(unknown.body).toEqual({
        success: false,
        error: 'SMS template "nope" does not exist for this tenant',
        code: 'UNPROCESSABLE',
        details: [{ path: 'template', message: 'no template named "nope"' }],
      });
      const stored = await withTenant(harness.db, tenant.customerId, (tx) => tx.smsMessage.count({ where: { customerId: tenant.customerId } }));
      expect(stored).toBe(0);
    });
  });

  describe('validation and authorization', () => {
    it.each([
      ['an invalid phone number', { to: 'not a phone', body: 'x' }, 'body.to', '"not a phone" is not a valid phone number'],
      ['no recipient', { body: 'x' }, 'body.to', 'Required'],
      ['neither body nor template', { to: '+12125550123' }, 'body.body', 'exactly one of body or template is required'],
      ['both body and template', { to: '+12125550123', body: 'x', template: 't' }, 'body.body', 'exactly one of body or template is required'],
      ['a body over 1600 characters', { to: '+12125550123', body: 'x'.repeat(1601) }, 'body.body', 'String must contain at most 1600 character(s)'],
      ['an empty idempotency key', { to: '+12125550123', body: 'x', idempotency_key: '' }, 'body.idempotency_key', 'String must contain at least 1 character(s)'],
    ])('answers 400 for %s, naming the field', async (_case, body, path, message) => {
      const tenant = await createSmsTenant(harness);
      const response = await post(tenant.customerId, body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ success: false, error: `Invalid ${path}: ${message}`, code: 'VALIDATION_FAILED', details: [{ path, message }] });
      const stored = await withTenant(harness.db, tenant.customerId, (tx) => tx.smsMessage.count({ where: { customerId: tenant.customerId } }));
      expect(stored).toBe(0);
    });

    it('answers 401 without a token and 403 to a service that may not send', async () => {
      const tenant = await createSmsTenant(harness);
      const anonymous = await request(harness.app).post('/v1/messages').send({ to: '+12125550123', body: 'x' });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ success: false, error: 'Missing bearer token', code: 'UNAUTHENTICATED' });

      const fromGateway = await post(tenant.customerId, { to: '+12125550123', body: 'x' }, 'gateway');
      expect(fromGateway.status).toBe(403);
      expect(fromGateway.body).toEqual({ success: false, error: 'Service gateway may not call POST /v1/messages', code: 'FORBIDDEN' });
    });

    it('answers 403 when the body names another tenant than the token', async () => {
      const tenant = await createSmsTenant(harness);
      const response = await post(tenant.customerId, { customer_id: tenant.customerId + 1, to: '+12125550123', body: 'x' });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });
  });
});

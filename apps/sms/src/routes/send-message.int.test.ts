import { withTenant } from '@neurosphere/db';
import { uniquePhone } from '@neurosphere/testing';
import request from 'supertest';
import { createSmsTenant, randomTwilioAccount, useMessageRoutes, STATUS_CALLBACK_BASE } from '../../test/harness';

// Sending, and who may send. Idempotency, Twilio's failures and the send policies (opt-out, rate
// limit, templates) have their own files (send-message-*.int.test.ts).

describe('POST /v1/messages', () => {
  const { harness, post, sentTo } = useMessageRoutes();

  describe('sending', () => {
    it("sends from the tenant's SMS number through the platform account, with a status callback", async () => {
      const tenant = await createSmsTenant(harness, { numbers: [{ purpose: 'voice' }, { purpose: 'voice_and_sms' }, { purpose: 'sms' }] });
      const to = uniquePhone();
      const response = await post(tenant.customerId, { to, body: 'Sorry we missed your call' });

      expect(response.status).toBe(202);
      expect(response.body).toEqual({
        success: true,
        message: expect.objectContaining({
          direction: 'outbound',
          to,
          from: tenant.numbers[2],
          body: 'Sorry we missed your call',
          status: 'queued',
          twilio_sid: null,
        }),
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

      expect(sentTo(to)).toEqual([
        expect.objectContaining({
          from: tenant.numbers[0],
          accountSid: sub.sid,
          username: sub.sid,
          password: sub.authToken,
          numSegments: 2,
        }),
      ]);
      const usage = await withTenant(harness.db, tenant.customerId, (tx) =>
        tx.usageRecord.findMany({ where: { customerId: tenant.customerId } }),
      );
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
      expect(await harness.message(tenant.customerId, response.body.message.id)).toMatchObject({
        status: 'failed',
        errorCode: '20003',
        attempts: 1,
      });
    });

    it('fails a BYOK number without stored credentials permanently, without calling Twilio', async () => {
      const tenant = await createSmsTenant(harness, { numbers: [{ purpose: 'sms', byok: true }] });
      const to = uniquePhone();
      const response = await post(tenant.customerId, { to, body: 'no creds' });
      await expect(harness.waitForSend(tenant.customerId, response.body.message.id)).rejects.toThrow('BYOK_CREDENTIALS_MISSING');
      expect(harness.fakeTwilio.requests.filter((recorded) => (recorded.body as { To?: string } | undefined)?.To === to)).toEqual([]);
      expect(await harness.message(tenant.customerId, response.body.message.id)).toMatchObject({
        status: 'failed',
        errorCode: 'BYOK_CREDENTIALS_MISSING',
      });
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

  describe('validation and authorization', () => {
    it.each([
      ['an invalid phone number', { to: 'not a phone', body: 'x' }, 'body.to', '"not a phone" is not a valid phone number'],
      ['no recipient', { body: 'x' }, 'body.to', 'Required'],
      ['neither body nor template', { to: '+12125550123' }, 'body.body', 'exactly one of body or template is required'],
      [
        'both body and template',
        { to: '+12125550123', body: 'x', template: 't' },
        'body.body',
        'exactly one of body or template is required',
      ],
      [
        'a body over 1600 characters',
        { to: '+12125550123', body: 'x'.repeat(1601) },
        'body.body',
        'String must contain at most 1600 character(s)',
      ],
      [
        'an empty idempotency key',
        { to: '+12125550123', body: 'x', idempotency_key: '' },
        'body.idempotency_key',
        'String must contain at least 1 character(s)',
      ],
    ])('answers 400 for %s, naming the field', async (_case, body, path, message) => {
      const tenant = await createSmsTenant(harness);
      const response = await post(tenant.customerId, body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        success: false,
        error: `Invalid ${path}: ${message}`,
        code: 'VALIDATION_FAILED',
        details: [{ path, message }],
      });
      const stored = await withTenant(harness.db, tenant.customerId, (tx) =>
        tx.smsMessage.count({ where: { customerId: tenant.customerId } }),
      );
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

    it("answers 401 to the gateway's key claiming to be the orchestrator, and sends nothing", async () => {
      const tenant = await createSmsTenant(harness);
      const forged = await harness.tokenSignedWith('gateway', 'orchestrator', tenant.customerId);
      const response = await request(harness.app)
        .post('/v1/messages')
        .set('authorization', `Bearer ${forged}`)
        .send({ to: uniquePhone(), body: 'x' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        success: false,
        error: expect.stringMatching(/^Service token issuer orchestrator does not own key gateway-/),
        code: 'UNAUTHENTICATED',
      });
      const stored = await withTenant(harness.db, tenant.customerId, (tx) =>
        tx.smsMessage.count({ where: { customerId: tenant.customerId } }),
      );
      expect(stored).toBe(0);
    });

    it('answers 403 when the body names another tenant than the token', async () => {
      const tenant = await createSmsTenant(harness);
      const response = await post(tenant.customerId, { customer_id: tenant.customerId + 1, to: '+12125550123', body: 'x' });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });
  });
});

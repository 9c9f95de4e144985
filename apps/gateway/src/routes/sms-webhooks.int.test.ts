import { uniqueMessageSid, uniquePhone, useHarness } from '@neurosphere/testing';
import { parseTwiml, postSignedWebhook, startHarness } from '../../test/harness';

const harness = useHarness(() => startHarness({ orchestratorTimeoutMs: 500 }));

const post = (path: string, params: Record<string, string>) =>
  postSignedWebhook(harness.app, path, params, { authToken: harness.platformToken });
const smsRequestsFor = (messageSid: string) =>
  harness.sms.requests.filter((r) => (r.body as { message_sid?: string })?.message_sid === messageSid);

/** Answers one message's requests differently; the rest keep the default. */
function onMessage(path: string, messageSid: string, reply: () => { status?: number; body?: unknown; hang?: boolean }, fallback: unknown) {
  harness.sms.on('POST', path, (recorded) =>
    (recorded.body as { message_sid?: string })?.message_sid === messageSid ? reply() : { status: 200, body: fallback },
  );
}

describe('POST /sms/incoming', () => {
  it("hands the text to the sms service for the number's tenant and renders its reply as <Message>", async () => {
    const tenant = await harness.createTenant();
    const messageSid = uniqueMessageSid();
    const caller = uniquePhone();
    onMessage('/v1/inbound', messageSid, () => ({ status: 200, body: { success: true, reply: 'Reply STOP to opt out. Help: call us.' } }), {
      success: true,
      reply: null,
    });
    const response = await post('/sms/incoming', {
      MessageSid: messageSid,
      SmsSid: messageSid,
      From: caller,
      To: tenant.number,
      Body: 'HELP',
      NumMedia: '0',
    });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/xml/);
    expect(parseTwiml(response.text)).toEqual([
      { name: 'Message', attributes: {}, text: 'Reply STOP to opt out. Help: call us.', children: [] },
    ]);

    const [handed] = smsRequestsFor(messageSid);
    expect(handed?.path).toBe('/v1/inbound');
    expect(handed?.body).toEqual({ message_sid: messageSid, from: caller, to: tenant.number, body: 'HELP' });
    const auth = await harness.verifyToken(handed!, 'sms');
    expect(auth).toMatchObject({ customerId: tenant.customerId, issuer: 'gateway' });
  });

  it('answers an empty <Response/> when there is nothing to reply', async () => {
    const tenant = await harness.createTenant();
    const response = await post('/sms/incoming', {
      MessageSid: uniqueMessageSid(),
      From: uniquePhone(),
      To: tenant.number,
      Body: 'thanks!',
    });
    expect(response.status).toBe(200);
    expect(parseTwiml(response.text)).toEqual([]);
  });

  it('answers 503 when the sms service hangs, counted', async () => {
    const tenant = await harness.createTenant();
    const messageSid = uniqueMessageSid();
    onMessage('/v1/inbound', messageSid, () => ({ hang: true }), { success: true, reply: null });
    const response = await post('/sms/incoming', { MessageSid: messageSid, From: uniquePhone(), To: tenant.number, Body: 'STOP' });
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ success: false, error: 'The SMS service is unavailable; try again later', code: 'UNAVAILABLE' });
    expect(await harness.counter('sms_forward_failed_total', { operation: 'inbound', reason: 'timeout' })).toBe(1);
  });

  it('does not hand over texts to a number no tenant owns, counted', async () => {
    const messageSid = uniqueMessageSid();
    const response = await post('/sms/incoming', { MessageSid: messageSid, From: uniquePhone(), To: uniquePhone(), Body: 'hi' });
    expect(response.status).toBe(200);
    expect(parseTwiml(response.text)).toEqual([]);
    expect(smsRequestsFor(messageSid)).toHaveLength(0);
    expect(await harness.counter('unknown_number_total', { route: 'sms.incoming' })).toBe(1);
  });

  it('refuses a sender that is not a phone number with 400 naming From', async () => {
    const tenant = await harness.createTenant();
    const response = await post('/sms/incoming', { MessageSid: uniqueMessageSid(), From: 'SHORTCODE', To: tenant.number, Body: 'x' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'body.From', message: 'From is not a valid phone number' }],
    });
  });
});

describe('POST /sms/status', () => {
  it('hands the delivery status to the sms service for the tenant that sent the text (From)', async () => {
    const tenant = await harness.createTenant();
    const messageSid = uniqueMessageSid();
    const response = await post('/sms/status', {
      MessageSid: messageSid,
      MessageStatus: 'undelivered',
      From: tenant.number,
      To: uniquePhone(),
      ErrorCode: '30003',
      ErrorMessage: 'Unreachable destination handset',
    });
    expect(response.status).toBe(204);
    const [handed] = smsRequestsFor(messageSid);
    expect(handed?.path).toBe('/v1/status-callbacks');
    expect(handed?.body).toEqual({
      message_sid: messageSid,
      message_status: 'undelivered',
      error_code: '30003',
      error_message: 'Unreachable destination handset',
    });
    expect(await harness.verifyToken(handed!, 'sms')).toMatchObject({ customerId: tenant.customerId });
  });

  it('refuses a status without MessageStatus with 400', async () => {
    const tenant = await harness.createTenant();
    const response = await post('/sms/status', { MessageSid: uniqueMessageSid(), From: tenant.number, To: uniquePhone() });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'body.MessageStatus', message: 'MessageStatus is required' }],
    });
  });

  it('answers 503 when the sms service fails, counted', async () => {
    const tenant = await harness.createTenant();
    const messageSid = uniqueMessageSid();
    onMessage(
      '/v1/status-callbacks',
      messageSid,
      () => ({ status: 500, body: { success: false, error: 'Internal server error', code: 'INTERNAL' } }),
      {
        success: true,
        updated: true,
      },
    );
    const response = await post('/sms/status', {
      MessageSid: messageSid,
      MessageStatus: 'delivered',
      From: tenant.number,
      To: uniquePhone(),
    });
    expect(response.status).toBe(503);
    expect(await harness.counter('sms_forward_failed_total', { operation: 'status', reason: 'error_status' })).toBe(1);
  });
});

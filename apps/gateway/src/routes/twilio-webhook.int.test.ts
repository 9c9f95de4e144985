import { withPlatform } from '@neurosphere/db';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import twilio from 'twilio';
import { parseTwiml, postSignedWebhook, PUBLIC_BASE_URL, startHarness } from '../../test/harness';

// X-Twilio-Signature checks on the call webhooks, signed exactly as Twilio signs them
// (twilio.getExpectedTwilioSignature over PUBLIC_BASE_URL + path and the sorted form params).

const harness = useHarness(startHarness);

const incomingCall = (to: string) => ({
  CallSid: uniqueCallSid(),
  AccountSid: 'AC00000000000000000000000000000000',
  From: uniquePhone(),
  To: to,
  CallStatus: 'ringing',
});

const forbidden = { success: false, code: 'FORBIDDEN', error: 'Invalid X-Twilio-Signature' };

describe('X-Twilio-Signature on /call/incoming', () => {
  it('accepts a request signed with the platform token for a platform number, and starts the call for that tenant', async () => {
    const tenant = await harness.createTenant();
    const params = incomingCall(tenant.number);
    const response = await postSignedWebhook(harness.app, '/call/incoming', params, { authToken: harness.platformToken });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/xml/);
    expect(parseTwiml(response.text)[0]?.name).toBe('Gather');

    const started = harness.orchestrator.requests.filter(
      (r) => r.path === '/v1/calls/start' && (r.body as { call_sid?: string }).call_sid === params.CallSid,
    );
    expect(started).toHaveLength(1);
    expect(started[0]?.body).toEqual({
      customer_id: tenant.customerId,
      call_sid: params.CallSid,
      caller: params.From,
      called: tenant.number,
    });
    const auth = await harness.verifyToken(started[0]!, 'orchestrator');
    expect(auth).toMatchObject({ customerId: tenant.customerId, issuer: 'gateway', callId: params.CallSid });
  });

  it("accepts a request signed with a BYOK tenant's own token, and refuses the platform token for that number", async () => {
    const tenantToken = 'byok-token-of-the-tenant-0001';
    const tenant = await harness.createByokTenant(tenantToken);
    const ok = await postSignedWebhook(harness.app, '/call/incoming', incomingCall(tenant.number), { authToken: tenantToken });
    expect(ok.status).toBe(200);
    expect(parseTwiml(ok.text)[0]?.name).toBe('Gather');

    const before = await harness.counter('twilio_signature_invalid_total', { route: 'call.incoming', reason: 'mismatch' });
    const params = incomingCall(tenant.number);
    const refused = await postSignedWebhook(harness.app, '/call/incoming', params, { authToken: harness.platformToken });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(forbidden);
    expect(harness.orchestrator.requests.some((r) => (r.body as { call_sid?: string })?.call_sid === params.CallSid)).toBe(false);
    expect(await harness.counter('twilio_signature_invalid_total', { route: 'call.incoming', reason: 'mismatch' })).toBe(before + 1);
  });

  it("accepts a request signed with the token of the tenant's sub-account, and refuses the platform token for that number", async () => {
    const subaccountToken = 'subaccount-token-of-the-tenant-01';
    const tenant = await harness.createSubaccountTenant(subaccountToken);
    const ok = await postSignedWebhook(harness.app, '/call/incoming', incomingCall(tenant.number), { authToken: subaccountToken });
    expect(ok.status).toBe(200);
    expect(parseTwiml(ok.text)[0]?.name).toBe('Gather');

    const refused = await postSignedWebhook(harness.app, '/call/incoming', incomingCall(tenant.number), {
      authToken: harness.platformToken,
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(forbidden);
  });

  it('refuses a sub-account number when only a BYOK credential is stored (the kinds are not interchangeable)', async () => {
    const tenant = await harness.createSubaccountTenant('the-subaccount-token');
    await withPlatform(harness.platformDb, { actor: 'test', action: 'test.swap_credential', customerId: tenant.customerId }, (tx) =>
      tx.tenantCredential.updateMany({ where: { customerId: tenant.customerId }, data: { provider: 'twilio' } }),
    );
    const response = await postSignedWebhook(harness.app, '/call/incoming', incomingCall(tenant.number), {
      authToken: 'the-subaccount-token',
    });
    expect(response.status).toBe(403);
    expect(response.body).toEqual(forbidden);
  });

  it('refuses a BYOK number whose tenant has no Twilio credential stored (nothing to verify with)', async () => {
    const tenant = await harness.createByokTenant('some-token');
    await withPlatform(harness.platformDb, { actor: 'test', action: 'test.drop_credential', customerId: tenant.customerId }, (tx) =>
      tx.tenantCredential.deleteMany({ where: { customerId: tenant.customerId } }),
    );
    const response = await postSignedWebhook(harness.app, '/call/incoming', incomingCall(tenant.number), { authToken: 'some-token' });
    expect(response.status).toBe(403);
    expect(response.body).toEqual(forbidden);
  });

  it.each([
    ['a wrong token', { authToken: 'not-the-platform-token' }, {}],
    ['a tampered parameter', {}, { From: '+12125550199' }],
    ['a wrong URL (another host)', { signedUrl: 'https://attacker.example/call/incoming' }, {}],
    ['a wrong URL (another path)', { signedUrl: `${PUBLIC_BASE_URL}/call/turn` }, {}],
  ])('refuses %s with 403 and processes nothing', async (_case, signing, tamper) => {
    const tenant = await harness.createTenant();
    const params = incomingCall(tenant.number);
    const before = await harness.counter('twilio_signature_invalid_total', { route: 'call.incoming' });
    const signature = twilio.getExpectedTwilioSignature(
      'authToken' in signing ? signing.authToken : harness.platformToken,
      'signedUrl' in signing ? signing.signedUrl : `${PUBLIC_BASE_URL}/call/incoming`,
      params,
    );
    const response = await postSignedWebhook(harness.app, '/call/incoming', { ...params, ...tamper }, { authToken: '', signature });
    expect(response.status).toBe(403);
    expect(response.body).toEqual(forbidden);
    expect(harness.orchestrator.requests.some((r) => (r.body as { call_sid?: string })?.call_sid === params.CallSid)).toBe(false);
    expect(await harness.counter('twilio_signature_invalid_total', { route: 'call.incoming' })).toBe(before + 1);
  });

  it('refuses a request without the header with 403', async () => {
    const tenant = await harness.createTenant();
    const params = incomingCall(tenant.number);
    const response = await postSignedWebhook(harness.app, '/call/incoming', params, { authToken: harness.platformToken, signature: null });
    expect(response.status).toBe(403);
    expect(response.body).toEqual({ success: false, code: 'FORBIDDEN', error: 'Missing X-Twilio-Signature header' });
    expect(await harness.counter('twilio_signature_invalid_total', { route: 'call.incoming', reason: 'missing' })).toBeGreaterThanOrEqual(
      1,
    );
    expect(harness.orchestrator.requests.some((r) => (r.body as { call_sid?: string })?.call_sid === params.CallSid)).toBe(false);
  });

  it('checks the query string too (the retry marker is part of the signed URL)', async () => {
    const tenant = await harness.createTenant();
    const params = { CallSid: uniqueCallSid(), From: uniquePhone(), To: tenant.number, SpeechResult: 'hello' };
    const signedForPlainPath = await postSignedWebhook(harness.app, '/call/turn?attempt=retry', params, {
      authToken: harness.platformToken,
      signedUrl: `${PUBLIC_BASE_URL}/call/turn`,
    });
    expect(signedForPlainPath.status).toBe(403);
    const signedForQuery = await postSignedWebhook(harness.app, '/call/turn?attempt=retry', params, { authToken: harness.platformToken });
    expect(signedForQuery.status).toBe(200);
  });

  it.each(['/call/turn', '/call/status', '/sms/incoming', '/sms/status'])('%s refuses a missing or wrong signature too', async (path) => {
    const tenant = await harness.createTenant();
    const params = {
      CallSid: uniqueCallSid(),
      MessageSid: 'SM0123',
      From: tenant.number,
      To: tenant.number,
      CallStatus: 'completed',
      MessageStatus: 'sent',
    };
    const wrong = await postSignedWebhook(harness.app, path, params, { authToken: 'wrong-token' });
    expect(wrong.status).toBe(403);
    const missing = await postSignedWebhook(harness.app, path, params, { authToken: harness.platformToken, signature: null });
    expect(missing.status).toBe(403);
    expect(harness.sms.requests.some((r) => (r.body as { message_sid?: string })?.message_sid === 'SM0123')).toBe(false);
    expect(harness.orchestrator.requests.some((r) => r.path.includes(params.CallSid))).toBe(false);
  });
});

import { uniqueCallSid, uniquePhone } from '@neurosphere/testing';
import { parseTwiml, postSignedWebhook, useCallWebhooks } from '../../test/harness';
import { SERVICE_UNAVAILABLE_TEXT } from '../domain/call/fallback-instructions';

// After a <Dial>: POST /call/transfer-status (how it ended) and POST /call/whisper (what the person
// answering hears first).
const { harness, post, requestsFor, onCall, verbs } = useCallWebhooks();

describe('POST /call/transfer-status', () => {
  it('hands how the transfer ended to the orchestrator and renders what follows', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    onCall('POST', '/v1/calls/:callSid/transfer-result', callSid, () => ({
      status: 200,
      body: {
        speak: [{ type: 'say', text: 'Nobody picked up. Can I take a message?' }],
        next: { type: 'gather', speech_timeout_seconds: 5 },
      },
    }));
    const response = await post('/call/transfer-status', {
      CallSid: callSid,
      From: uniquePhone(),
      To: tenant.number,
      DialCallStatus: 'no-answer',
    });
    expect(response.status).toBe(200);
    const [gather] = parseTwiml(response.text);
    expect(gather?.name).toBe('Gather');
    expect(gather?.children.map((child) => child.text)).toEqual(['Nobody picked up. Can I take a message?']);
    const [result] = requestsFor(callSid);
    expect(result?.path).toBe(`/v1/calls/${callSid}/transfer-result`);
    expect(result?.body).toEqual({ customer_id: tenant.customerId, status: 'no-answer' });
    expect(await harness.verifyToken(result!, 'orchestrator')).toMatchObject({ customerId: tenant.customerId, callId: callSid });
  });

  it('apologizes and hangs up when the orchestrator cannot be asked, without dialling the same number again', async () => {
    const tenant = await harness.createTenant({ transferNumber: '+12125550146' });
    const callSid = uniqueCallSid();
    onCall('POST', '/v1/calls/:callSid/transfer-result', callSid, () => ({ hang: true }));
    const response = await post('/call/transfer-status', {
      CallSid: callSid,
      From: uniquePhone(),
      To: tenant.number,
      DialCallStatus: 'busy',
    });
    expect(verbs(parseTwiml(response.text))).toEqual([
      ['Say', SERVICE_UNAVAILABLE_TEXT],
      ['Hangup', ''],
    ]);
  });
});

describe('POST /call/whisper', () => {
  it('says who is calling and why to the person answering, signed for the leg that shows the business number', async () => {
    const tenant = await harness.createTenant();
    const path = `/call/whisper?${new URLSearchParams({ text: 'Call from Kim about a bill.', voice: 'Polly.Amy-Neural', language: 'en-GB' }).toString()}`;
    const response = await post(path, { CallSid: uniqueCallSid(), From: tenant.number, To: uniquePhone() });
    expect(response.status).toBe(200);
    expect(parseTwiml(response.text)).toEqual([
      { name: 'Say', attributes: { voice: 'Polly.Amy-Neural', language: 'en-GB' }, text: 'Call from Kim about a bill.', children: [] },
    ]);
  });

  it('connects without a whisper when its words are missing, and counts it', async () => {
    const tenant = await harness.createTenant();
    const before = await harness.counter('gateway_fallback_twiml_total', { kind: 'no_whisper' });
    const response = await post('/call/whisper', { CallSid: uniqueCallSid(), From: tenant.number, To: uniquePhone() });
    expect(response.status).toBe(200);
    expect(parseTwiml(response.text)).toEqual([]);
    expect(await harness.counter('gateway_fallback_twiml_total', { kind: 'no_whisper' })).toBe(before + 1);
  });

  it('refuses a whisper request not signed with the account token', async () => {
    const tenant = await harness.createTenant();
    const response = await postSignedWebhook(
      harness.app,
      '/call/whisper?text=hi',
      { CallSid: uniqueCallSid(), From: tenant.number, To: uniquePhone() },
      { authToken: 'not-the-token' },
    );
    expect(response.status).toBe(403);
  });
});

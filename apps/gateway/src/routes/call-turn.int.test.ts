import { uniqueCallSid, uniquePhone } from '@neurosphere/testing';
import { parseTwiml, PUBLIC_BASE_URL, useCallWebhooks } from '../../test/harness';
import { RETRY_TEXT, SERVICE_UNAVAILABLE_TEXT, TRANSFER_TEXT } from '../domain/call/fallback-instructions';

const { harness, post, requestsFor, onCall, verbs } = useCallWebhooks();

describe('POST /call/turn', () => {
  it("passes the caller's speech and confidence to the orchestrator and renders its answer", async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    onCall('POST', '/v1/calls/:callSid/turn', callSid, () => ({
      status: 200,
      body: {
        speak: [{ type: 'play', audio_token: 'answer-token-abcdefgh', text: 'Transferring' }],
        next: { type: 'transfer', number: '+12125550150' },
      },
    }));
    const response = await post('/call/turn', {
      CallSid: callSid,
      From: uniquePhone(),
      To: tenant.number,
      SpeechResult: 'I want a human',
      Confidence: '0.87',
    });
    // Old-style transfer instructions still ring the number (and report back how it went).
    expect(verbs(parseTwiml(response.text))).toEqual([
      ['Play', `${PUBLIC_BASE_URL}/audio/answer-token-abcdefgh`],
      ['Dial', '+12125550150'],
    ]);
    const [turn] = requestsFor(callSid);
    expect(turn?.path).toBe(`/v1/calls/${callSid}/turn`);
    expect(turn?.body).toEqual({ customer_id: tenant.customerId, speech: 'I want a human', confidence: 0.87 });
    expect(await harness.verifyToken(turn!, 'orchestrator')).toMatchObject({ customerId: tenant.customerId, callId: callSid });
  });

  it('sends speech null after silence (no SpeechResult)', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    await post('/call/turn', { CallSid: callSid, From: uniquePhone(), To: tenant.number });
    expect(requestsFor(callSid)[0]?.body).toEqual({ customer_id: tenant.customerId, speech: null });
  });

  it('passes keypad digits on', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    await post('/call/turn', { CallSid: callSid, From: uniquePhone(), To: tenant.number, Digits: '0' });
    expect(requestsFor(callSid)[0]?.body).toEqual({ customer_id: tenant.customerId, speech: null, digits: '0' });
  });

  it('asks the caller to repeat once when the orchestrator hangs, then transfers on a second failure in a row', async () => {
    const tenant = await harness.createTenant({ transferNumber: '+12125550144', speechTimeoutSeconds: 7 });
    const callSid = uniqueCallSid();
    onCall('POST', '/v1/calls/:callSid/turn', callSid, () => ({ hang: true }));
    const before = await harness.counter('orchestrator_unavailable_total', { operation: 'turn', reason: 'timeout' });

    const first = await post('/call/turn', { CallSid: callSid, From: uniquePhone(), To: tenant.number, SpeechResult: 'hello?' });
    expect(first.status).toBe(200);
    const [gather] = parseTwiml(first.text);
    expect(gather).toEqual({
      name: 'Gather',
      attributes: expect.objectContaining({
        input: 'speech',
        action: `${PUBLIC_BASE_URL}/call/turn?attempt=retry`,
        speechTimeout: '7',
      }) as unknown,
      text: '',
      // The gateway's own apology, in the tenant's fallback voice and language.
      children: [{ name: 'Say', attributes: { voice: 'Polly.Joanna-Neural', language: 'en-US' }, text: RETRY_TEXT, children: [] }],
    });

    const second = await post('/call/turn?attempt=retry', {
      CallSid: callSid,
      From: uniquePhone(),
      To: tenant.number,
      SpeechResult: 'hello??',
    });
    expect(verbs(parseTwiml(second.text))).toEqual([
      ['Say', TRANSFER_TEXT],
      ['Dial', '+12125550144'],
    ]);
    expect(await harness.counter('orchestrator_unavailable_total', { operation: 'turn', reason: 'timeout' })).toBe(before + 2);
  });

  it('does not retry a call the orchestrator no longer knows (404): apology and hang-up', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    onCall('POST', '/v1/calls/:callSid/turn', callSid, () => ({
      status: 404,
      body: { success: false, error: 'Call not found', code: 'NOT_FOUND' },
    }));
    const response = await post('/call/turn', { CallSid: callSid, From: uniquePhone(), To: tenant.number, SpeechResult: 'hi' });
    expect(verbs(parseTwiml(response.text))).toEqual([
      ['Say', SERVICE_UNAVAILABLE_TEXT],
      ['Hangup', ''],
    ]);
    expect(await harness.counter('orchestrator_unavailable_total', { operation: 'turn', reason: 'not_found' })).toBeGreaterThanOrEqual(1);
  });
});

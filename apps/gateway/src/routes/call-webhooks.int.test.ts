import { uniqueCallSid } from '@neurosphere/db/testing';
import type { FakeReply } from '@neurosphere/testing';
import request from 'supertest';
import { greetingInstructions, parseTwiml, postSignedWebhook, PUBLIC_BASE_URL, startGatewayHarness, uniquePhone } from '../../test/gateway-harness';
import type { GatewayHarness, TwimlNode } from '../../test/gateway-harness';
import {
  RETRY_TEXT,
  SERVICE_UNAVAILABLE_TEXT,
  SUSPENDED_DEFAULT_TEXT,
  TRANSFER_TEXT,
  UNKNOWN_NUMBER_TEXT,
} from '../domain/call/fallback-instructions';

let harness: GatewayHarness;
beforeAll(async () => {
  // A short orchestrator budget: the fault tests below use a fake that never answers, so the
  // fallback comes from the timeout, whatever its length.
  harness = await startGatewayHarness({ orchestratorTimeoutMs: 500 });
});
afterAll(() => harness.close());

const post = (path: string, params: Record<string, string>) => postSignedWebhook(harness.app, path, params, { authToken: harness.platformToken });
const verbs = (nodes: TwimlNode[]) => nodes.map((node) => [node.name, node.text]);
const requestsFor = (callSid: string) =>
  harness.orchestrator.requests.filter((r) => r.path.includes(callSid) || (r.body as { call_sid?: string } | undefined)?.call_sid === callSid);

/** Replaces a fake orchestrator route for one call only; other calls keep the default answer. */
function onCall(method: string, pattern: string, callSid: string, reply: () => { status?: number; body?: unknown; hang?: boolean }) {
  const defaults = {
    'POST /v1/calls/start': { status: 200, body: greetingInstructions },
    'POST /v1/calls/:callSid/turn': { status: 200, body: { speak: [{ type: 'say', text: 'Sure.' }], next: { type: 'gather', speech_timeout_seconds: 4 } } },
    'POST /v1/calls/:callSid/end': { status: 202, body: { success: true } },
  } as Record<string, { status: number; body: unknown }>;
  const previous = defaults[`${method} ${pattern}`];
  harness.orchestrator.on(method, pattern, (recorded, params) => {
    const sid = params.callSid ?? (recorded.body as { call_sid?: string } | undefined)?.call_sid;
    return sid === callSid ? reply() : (previous ?? { status: 404 });
  });
}

describe('POST /call/incoming', () => {
  it('renders the greeting as a speech <Gather> with the audio relayed through the gateway', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    const response = await post('/call/incoming', { CallSid: callSid, From: uniquePhone(), To: tenant.number });
    expect(response.status).toBe(200);
    expect(parseTwiml(response.text)).toEqual([
      {
        name: 'Gather',
        attributes: { input: 'speech', action: `${PUBLIC_BASE_URL}/call/turn`, method: 'POST', timeout: '4', speechTimeout: '4', actionOnEmptyResult: 'true' },
        text: '',
        children: [{ name: 'Play', attributes: {}, text: `${PUBLIC_BASE_URL}/audio/greeting-token-0123456789`, children: [] }],
      },
    ]);
  });

  it('answers an unknown number with a short message and a hang-up, counted, without calling the orchestrator', async () => {
    const callSid = uniqueCallSid();
    const before = await harness.counter('unknown_number_total', { route: 'call.incoming' });
    const response = await post('/call/incoming', { CallSid: callSid, From: uniquePhone(), To: uniquePhone() });
    expect(response.status).toBe(200);
    expect(verbs(parseTwiml(response.text))).toEqual([
      ['Say', UNKNOWN_NUMBER_TEXT],
      ['Hangup', ''],
    ]);
    expect(await harness.counter('unknown_number_total', { route: 'call.incoming' })).toBe(before + 1);
    expect(requestsFor(callSid)).toHaveLength(0);
  });

  it("answers a suspended tenant's callers with its configured message and hangs up", async () => {
    const tenant = await harness.createTenant({ status: 'suspended', suspendedMessage: 'We are closed for renovation. Goodbye.' });
    const callSid = uniqueCallSid();
    const before = await harness.counter('suspended_call_total');
    const response = await post('/call/incoming', { CallSid: callSid, From: uniquePhone(), To: tenant.number });
    expect(verbs(parseTwiml(response.text))).toEqual([
      ['Say', 'We are closed for renovation. Goodbye.'],
      ['Hangup', ''],
    ]);
    expect(await harness.counter('suspended_call_total')).toBe(before + 1);
    expect(requestsFor(callSid)).toHaveLength(0);
  });

  it('uses neutral wording for a suspended tenant without a message', async () => {
    const tenant = await harness.createTenant({ status: 'suspended' });
    const response = await post('/call/incoming', { CallSid: uniqueCallSid(), From: uniquePhone(), To: tenant.number });
    expect(verbs(parseTwiml(response.text))).toEqual([
      ['Say', SUSPENDED_DEFAULT_TEXT],
      ['Hangup', ''],
    ]);
  });

  it.each([
    ['transfer, when the tenant has a transfer number', '+12125550142', [['Say', TRANSFER_TEXT], ['Dial', '+12125550142']], 'transfer'],
    ['an apology and hang-up, without one', null, [['Say', SERVICE_UNAVAILABLE_TEXT], ['Hangup', '']], 'hangup'],
  ])('answers a hanging orchestrator start with %s, counted', async (_case, transferNumber, expected, kind) => {
    const tenant = await harness.createTenant({ transferNumber });
    const callSid = uniqueCallSid();
    onCall('POST', '/v1/calls/start', callSid, () => ({ hang: true }));
    const before = await harness.counter('orchestrator_unavailable_total', { operation: 'start', reason: 'timeout' });
    const fallbacks = await harness.counter('gateway_fallback_twiml_total', { kind });
    const response = await post('/call/incoming', { CallSid: callSid, From: uniquePhone(), To: tenant.number });
    expect(response.status).toBe(200);
    expect(verbs(parseTwiml(response.text))).toEqual(expected);
    expect(await harness.counter('orchestrator_unavailable_total', { operation: 'start', reason: 'timeout' })).toBe(before + 1);
    expect(await harness.counter('gateway_fallback_twiml_total', { kind })).toBe(fallbacks + 1);
  });

  it.each([
    ['answers 500', { status: 500, body: { success: false, error: 'Internal server error', code: 'INTERNAL' } }, 'error_status'],
    ['answers a body that breaks the contract', { status: 200, body: { speak: 'hello' } }, 'invalid_response'],
  ])('falls back when the orchestrator %s', async (_case, reply, reason) => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    onCall('POST', '/v1/calls/start', callSid, () => reply);
    const before = await harness.counter('orchestrator_unavailable_total', { operation: 'start', reason });
    const response = await post('/call/incoming', { CallSid: callSid, From: uniquePhone(), To: tenant.number });
    expect(verbs(parseTwiml(response.text))).toEqual([
      ['Say', SERVICE_UNAVAILABLE_TEXT],
      ['Hangup', ''],
    ]);
    expect(await harness.counter('orchestrator_unavailable_total', { operation: 'start', reason })).toBe(before + 1);
  });

  it('answers a withheld caller id with the fallback instead of starting a call the orchestrator cannot key', async () => {
    const tenant = await harness.createTenant({ transferNumber: '+12125550143' });
    const callSid = uniqueCallSid();
    const before = await harness.counter('caller_id_unusable_total');
    const response = await post('/call/incoming', { CallSid: callSid, From: 'anonymous', To: tenant.number });
    expect(verbs(parseTwiml(response.text))).toEqual([
      ['Say', TRANSFER_TEXT],
      ['Dial', '+12125550143'],
    ]);
    expect(await harness.counter('caller_id_unusable_total')).toBe(before + 1);
    expect(requestsFor(callSid)).toHaveLength(0);
  });

  it('refuses a signed request without CallSid with 400 naming the field', async () => {
    const tenant = await harness.createTenant();
    const response = await post('/call/incoming', { From: uniquePhone(), To: tenant.number });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      success: false,
      code: 'VALIDATION_FAILED',
      error: 'Invalid body.CallSid: CallSid is required',
      details: [{ path: 'body.CallSid', message: 'CallSid is required' }],
    });
  });

  it('refuses a signed request whose To is not a phone number with 400', async () => {
    const response = await post('/call/incoming', { CallSid: uniqueCallSid(), From: uniquePhone(), To: 'client:alice' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ path: 'body.To', message: 'To is not a valid phone number' }] });
  });
});

describe('POST /call/turn', () => {
  it("passes the caller's speech and confidence to the orchestrator and renders its answer", async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    onCall('POST', '/v1/calls/:callSid/turn', callSid, () => ({
      status: 200,
      body: { speak: [{ type: 'play', audio_token: 'answer-token-abcdefgh', text: 'Transferring' }], next: { type: 'transfer', number: '+12125550150' } },
    }));
    const response = await post('/call/turn', { CallSid: callSid, From: uniquePhone(), To: tenant.number, SpeechResult: 'I want a human', Confidence: '0.87' });
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
      attributes: expect.objectContaining({ input: 'speech', action: `${PUBLIC_BASE_URL}/call/turn?attempt=retry`, speechTimeout: '7' }) as unknown,
      text: '',
      children: [{ name: 'Say', attributes: {}, text: RETRY_TEXT, children: [] }],
    });

    const second = await post('/call/turn?attempt=retry', { CallSid: callSid, From: uniquePhone(), To: tenant.number, SpeechResult: 'hello??' });
    expect(verbs(parseTwiml(second.text))).toEqual([
      ['Say', TRANSFER_TEXT],
      ['Dial', '+12125550144'],
    ]);
    expect(await harness.counter('orchestrator_unavailable_total', { operation: 'turn', reason: 'timeout' })).toBe(before + 2);
  });

  it('does not retry a call the orchestrator no longer knows (404): apology and hang-up', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    onCall('POST', '/v1/calls/:callSid/turn', callSid, () => ({ status: 404, body: { success: false, error: 'Call not found', code: 'NOT_FOUND' } }));
    const response = await post('/call/turn', { CallSid: callSid, From: uniquePhone(), To: tenant.number, SpeechResult: 'hi' });
    expect(verbs(parseTwiml(response.text))).toEqual([
      ['Say', SERVICE_UNAVAILABLE_TEXT],
      ['Hangup', ''],
    ]);
    expect(await harness.counter('orchestrator_unavailable_total', { operation: 'turn', reason: 'not_found' })).toBeGreaterThanOrEqual(1);
  });
});

describe('POST /call/status', () => {
  it('ends the call at the orchestrator on a final status, with the duration', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    const response = await post('/call/status', { CallSid: callSid, From: uniquePhone(), To: tenant.number, CallStatus: 'completed', CallDuration: '42' });
    expect(response.status).toBe(204);
    const [end] = requestsFor(callSid);
    expect(end?.path).toBe(`/v1/calls/${callSid}/end`);
    expect(end?.body).toEqual({ customer_id: tenant.customerId, status: 'completed', duration_seconds: 42 });
    expect(await harness.verifyToken(end!, 'orchestrator')).toMatchObject({ customerId: tenant.customerId, callId: callSid });
  });

  it.each(['busy', 'failed', 'no-answer', 'canceled'])('ends the call on %s too', async (status) => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    await post('/call/status', { CallSid: callSid, From: uniquePhone(), To: tenant.number, CallStatus: status });
    expect(requestsFor(callSid).map((r) => r.body)).toEqual([{ customer_id: tenant.customerId, status }]);
  });

  it('ignores statuses that are not final', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    const response = await post('/call/status', { CallSid: callSid, From: uniquePhone(), To: tenant.number, CallStatus: 'in-progress' });
    expect(response.status).toBe(204);
    expect(requestsFor(callSid)).toHaveLength(0);
  });

  it('still answers 204 when the orchestrator fails, and counts it', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    onCall('POST', '/v1/calls/:callSid/end', callSid, () => ({ hang: true }));
    const before = await harness.counter('orchestrator_unavailable_total', { operation: 'end', reason: 'timeout' });
    const response = await post('/call/status', { CallSid: callSid, From: uniquePhone(), To: tenant.number, CallStatus: 'completed' });
    expect(response.status).toBe(204);
    expect(await harness.counter('orchestrator_unavailable_total', { operation: 'end', reason: 'timeout' })).toBe(before + 1);
  });

  it('does nothing for an unknown number but count it', async () => {
    const callSid = uniqueCallSid();
    const before = await harness.counter('unknown_number_total', { route: 'call.status' });
    const response = await post('/call/status', { CallSid: callSid, From: uniquePhone(), To: uniquePhone(), CallStatus: 'completed' });
    expect(response.status).toBe(204);
    expect(requestsFor(callSid)).toHaveLength(0);
    expect(await harness.counter('unknown_number_total', { route: 'call.status' })).toBe(before + 1);
  });
});

describe('GET /audio/:token', () => {
  it("relays the orchestrator's audio and the words it speaks", async () => {
    const audio = Buffer.from([0xff, 0xfb, 0x90, 0x64, 1, 2, 3]);
    const words = encodeURIComponent('Zoë here — how can I help?');
    harness.orchestrator.on('GET', '/v1/audio/:token', (_recorded, params): FakeReply => {
      if (params.token === 'known-token-0123456789') return { status: 200, headers: { 'content-type': 'audio/mpeg', 'x-speech-text': words }, body: audio };
      if (params.token === 'wordless-token-0123456789') return { status: 200, headers: { 'content-type': 'audio/mpeg' }, body: audio };
      return { status: 404, body: { success: false, error: 'Audio not found', code: 'NOT_FOUND' } };
    });
    const fetchAudio = (path: string) =>
      request(harness.app)
        .get(path)
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        });
    const response = await fetchAudio('/audio/known-token-0123456789');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('audio/mpeg');
    expect(response.headers['x-speech-text']).toBe(words);
    expect(Buffer.compare(response.body as Buffer, audio)).toBe(0);

    const wordless = await fetchAudio('/audio/wordless-token-0123456789');
    expect(wordless.status).toBe(200);
    expect(wordless.headers).not.toHaveProperty('x-speech-text');
    expect(Buffer.compare(wordless.body as Buffer, audio)).toBe(0);

    const missing = await request(harness.app).get('/audio/unknown-token-0123456789');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ success: false, error: 'Audio not found', code: 'NOT_FOUND' });
  });

  it('answers 404 for something that cannot be a token, without asking the orchestrator', async () => {
    const before = harness.orchestrator.requests.length;
    const response = await request(harness.app).get('/audio/short');
    expect(response.status).toBe(404);
    expect(harness.orchestrator.requests.length).toBe(before);
  });
});

describe('GET /metrics', () => {
  it('exposes the degradation counters in Prometheus format', async () => {
    const response = await request(harness.app).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.text).toContain('# TYPE twilio_signature_invalid_total counter');
    expect(response.text).toContain('# TYPE orchestrator_unavailable_total counter');
    expect(response.text).toContain('# TYPE unknown_number_total counter');
  });
});

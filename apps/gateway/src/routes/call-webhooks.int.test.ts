import { uniqueCallSid, uniquePhone } from '@neurosphere/testing';
import type { FakeReply } from '@neurosphere/testing';
import { metricsListener, metricsRegistryOf } from '@neurosphere/http';
import request from 'supertest';
import { useCallWebhooks } from '../../test/harness';

// POST /call/incoming and POST /call/turn have their own files (call-incoming, call-turn).
const { harness, post, requestsFor, onCall } = useCallWebhooks();

describe('POST /call/status', () => {
  it('ends the call at the orchestrator on a final status, with the duration', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    const response = await post('/call/status', {
      CallSid: callSid,
      From: uniquePhone(),
      To: tenant.number,
      CallStatus: 'completed',
      CallDuration: '42',
    });
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
      if (params.token === 'known-token-0123456789')
        return { status: 200, headers: { 'content-type': 'audio/mpeg', 'x-speech-text': words }, body: audio };
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

describe('metrics', () => {
  it('are not served on the public port', async () => {
    const response = await request(harness.app).get('/metrics');
    expect(response.status).toBe(404);
  });

  it('expose the degradation counters and per-route latency on the metrics listener', async () => {
    await request(harness.app).get('/audio/short').expect(404);
    const response = await request(metricsListener(metricsRegistryOf(harness.app))).get('/metrics');
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/audio\/:token",status_code="404"\} [1-9]/);
    expect(response.text).not.toContain('/audio/short');
    expect(response.text).toContain('# TYPE gateway_fallback_twiml_total counter');
    expect(response.text).toContain('# TYPE twilio_signature_invalid_total counter');
    expect(response.text).toContain('# TYPE orchestrator_unavailable_total counter');
    expect(response.text).toContain('# TYPE unknown_number_total counter');
  });
});

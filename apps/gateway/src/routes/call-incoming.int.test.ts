import { uniqueCallSid, uniquePhone } from '@neurosphere/testing';
import { parseTwiml, PUBLIC_BASE_URL, useCallWebhooks } from '../../test/harness';
import { SERVICE_UNAVAILABLE_TEXT, SUSPENDED_DEFAULT_TEXT, TRANSFER_TEXT, UNKNOWN_NUMBER_TEXT } from '../domain/call/fallback-instructions';

const { harness, post, requestsFor, onCall, verbs } = useCallWebhooks();

describe('POST /call/incoming', () => {
  it('renders the greeting as a speech <Gather> with the audio relayed through the gateway', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    const response = await post('/call/incoming', { CallSid: callSid, From: uniquePhone(), To: tenant.number });
    expect(response.status).toBe(200);
    expect(parseTwiml(response.text)).toEqual([
      {
        name: 'Gather',
        attributes: {
          input: 'speech',
          action: `${PUBLIC_BASE_URL}/call/turn`,
          method: 'POST',
          timeout: '4',
          speechTimeout: '4',
          actionOnEmptyResult: 'true',
        },
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
    [
      'transfer, when the tenant has a transfer number',
      '+12125550142',
      [
        ['Say', TRANSFER_TEXT],
        ['Dial', '+12125550142'],
      ],
      'transfer',
    ],
    [
      'an apology and hang-up, without one',
      null,
      [
        ['Say', SERVICE_UNAVAILABLE_TEXT],
        ['Hangup', ''],
      ],
      'hangup',
    ],
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

  it.each(['Anonymous', 'Restricted', '+266696687', ''])(
    'answers a withheld caller id (%p) as a stranger: the call starts with caller null',
    async (from) => {
      const tenant = await harness.createTenant({ transferNumber: '+12125550143' });
      const callSid = uniqueCallSid();
      const before = await harness.counter('caller_id_unusable_total');
      const response = await post('/call/incoming', { CallSid: callSid, From: from, To: tenant.number });
      expect(parseTwiml(response.text).map((node) => node.name)).toEqual(['Gather']);
      expect(requestsFor(callSid).map((r) => r.body)).toEqual([
        { customer_id: tenant.customerId, call_sid: callSid, caller: null, called: tenant.number },
      ]);
      expect(await harness.counter('caller_id_unusable_total')).toBe(before + 1);
    },
  );

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
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'body.To', message: 'To is not a valid phone number' }],
    });
  });
});

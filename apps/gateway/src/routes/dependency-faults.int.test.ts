import { startSilentTcpServer, uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { parseTwiml, postSignedWebhook, startHarness } from '../../test/harness';
import { SERVICE_UNAVAILABLE_TEXT, TRANSFER_TEXT } from '../domain/call/fallback-instructions';

// The gateway's own dependencies down or hanging: the caller still gets valid TwiML (HTTP 200)
// and the failure is counted. "Hanging" servers never answer, so the fallback is produced by the
// gateway's timeout whatever its length: no timing is asserted.

/** Port 1 on 127.0.0.1: nothing listens there, connections are refused at once. */
const CLOSED = '127.0.0.1:1';

/** Each verb and its text; a <Dial> shows the number it dials (its <Number>). */
const verbs = (xml: string) =>
  parseTwiml(xml).map((node) => [node.name, node.name === 'Dial' ? (node.children[0]?.text ?? node.text) : node.text]);

describe('orchestrator down (connection refused)', () => {
  const harness = useHarness(() => startHarness({ orchestratorUrl: `http://${CLOSED}` }));

  it('transfers an incoming call to the tenant number, counted as unreachable', async () => {
    const tenant = await harness.createTenant({ transferNumber: '+12125550145' });
    const response = await postSignedWebhook(
      harness.app,
      '/call/incoming',
      { CallSid: uniqueCallSid(), From: uniquePhone(), To: tenant.number },
      { authToken: harness.platformToken },
    );
    expect(response.status).toBe(200);
    expect(verbs(response.text)).toEqual([
      ['Say', TRANSFER_TEXT],
      ['Dial', '+12125550145'],
    ]);
    expect(await harness.counter('orchestrator_unavailable_total', { operation: 'start', reason: 'unreachable' })).toBe(1);
  });

  it('answers the audio relay with 503, counted', async () => {
    const response = await request(harness.app).get('/audio/some-token-0123456789');
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ success: false, error: 'Audio is unavailable right now', code: 'UNAVAILABLE' });
    expect(await harness.counter('orchestrator_unavailable_total', { operation: 'audio', reason: 'unreachable' })).toBe(1);
  });
});

describe('PostgreSQL down for the number lookup', () => {
  const harness = useHarness(() => startHarness({ appDatabaseUrl: `postgres://neurosphere_app:app@${CLOSED}/gateway` }));

  it('answers the call with a generic apology and a hang-up, counted', async () => {
    const callSid = uniqueCallSid();
    const response = await postSignedWebhook(
      harness.app,
      '/call/incoming',
      { CallSid: callSid, From: uniquePhone(), To: uniquePhone() },
      { authToken: harness.platformToken },
    );
    expect(response.status).toBe(200);
    expect(verbs(response.text)).toEqual([
      ['Say', SERVICE_UNAVAILABLE_TEXT],
      ['Hangup', ''],
    ]);
    expect(await harness.counter('tenant_lookup_failed_total', { route: 'call.incoming', reason: 'error' })).toBe(1);
    expect(harness.orchestrator.requests).toHaveLength(0);
  });

  it('answers an SMS webhook with 503 (nobody waits on a line; Twilio records the failure)', async () => {
    const response = await postSignedWebhook(
      harness.app,
      '/sms/incoming',
      { MessageSid: 'SM00000000000000000000000000000001', From: uniquePhone(), To: uniquePhone(), Body: 'HELP' },
      { authToken: harness.platformToken },
    );
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ success: false, error: 'Number lookup failed; try again later', code: 'UNAVAILABLE' });
    expect(await harness.counter('tenant_lookup_failed_total', { route: 'sms.incoming', reason: 'error' })).toBe(1);
  });
});

describe('PostgreSQL hanging during the number lookup', () => {
  // A hung PostgreSQL; closed first (afterAll hooks run in order), so the app's pool lets go.
  const silent = useHarness(startSilentTcpServer);
  const harness = useHarness(() =>
    startHarness({
      appDatabaseUrl: `postgres://neurosphere_app:app@127.0.0.1:${silent.port}/gateway`,
      tenantLookupTimeoutMs: 300,
    }),
  );

  it('answers the call with a generic apology once the lookup budget is spent, counted as a timeout', async () => {
    const response = await postSignedWebhook(
      harness.app,
      '/call/turn',
      { CallSid: uniqueCallSid(), From: uniquePhone(), To: uniquePhone(), SpeechResult: 'hello' },
      { authToken: harness.platformToken },
    );
    expect(response.status).toBe(200);
    expect(verbs(response.text)).toEqual([
      ['Say', SERVICE_UNAVAILABLE_TEXT],
      ['Hangup', ''],
    ]);
    expect(await harness.counter('tenant_lookup_failed_total', { route: 'call.turn', reason: 'timeout' })).toBe(1);
  });
});

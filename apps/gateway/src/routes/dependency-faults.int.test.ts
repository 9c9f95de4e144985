import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { uniqueCallSid } from '@neurosphere/db/testing';
import request from 'supertest';
import { parseTwiml, postSignedWebhook, startGatewayHarness, uniquePhone } from '../../test/gateway-harness';
import type { GatewayHarness } from '../../test/gateway-harness';
import { SERVICE_UNAVAILABLE_TEXT, TRANSFER_TEXT } from '../domain/call/fallback-instructions';

// The gateway's own dependencies down or hanging: the caller still gets valid TwiML (HTTP 200)
// and the failure is counted. "Hanging" servers never answer, so the fallback is produced by the
// gateway's timeout whatever its length: no timing is asserted.

/** Port 1 on 127.0.0.1: nothing listens there, connections are refused at once. */
const CLOSED = '127.0.0.1:1';

/** A TCP server that accepts connections and never says a word (a hung PostgreSQL). */
async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const verbs = (xml: string) => parseTwiml(xml).map((node) => [node.name, node.text]);

describe('orchestrator down (connection refused)', () => {
  let harness: GatewayHarness;
  beforeAll(async () => {
    harness = await startGatewayHarness({ orchestratorUrl: `http://${CLOSED}` });
  });
  afterAll(() => harness.close());

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
  let harness: GatewayHarness;
  beforeAll(async () => {
    harness = await startGatewayHarness({ appDatabaseUrl: `postgres://neurosphere_app:app@${CLOSED}/gateway` });
  });
  afterAll(() => harness.close());

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
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let harness: GatewayHarness;
  beforeAll(async () => {
    silent = await startSilentServer();
    harness = await startGatewayHarness({
      appDatabaseUrl: `postgres://neurosphere_app:app@127.0.0.1:${silent.port}/gateway`,
      tenantLookupTimeoutMs: 300,
    });
  });
  afterAll(async () => {
    await silent.close();
    await harness.close();
  });

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

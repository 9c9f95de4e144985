import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RelayEvent } from '@neurosphere/contracts';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import type { RecordedRequest } from '@neurosphere/testing';
import twilio from 'twilio';
import WebSocket from 'ws';
import { parseTwiml, postSignedWebhook, PUBLIC_BASE_URL, startHarness } from '../../test/harness';
import { relaySocketUrl } from './render-relay-twiml';
import { RELAY_FALLBACK_TEXT } from './relay-session';

// The ConversationRelay endpoint driven the way Twilio drives it
// (https://www.twilio.com/docs/voice/conversationrelay/websocket-messages): a signed handshake,
// `setup`, prompts, `interrupt`, `dtmf`; the gateway answers with `text` tokens and `end`. The
// orchestrator is a fake that streams its relay events as NDJSON.

const harness = useHarness(() => startHarness({ orchestratorTimeoutMs: 1000, relayLimits: { maxMessagesPerSecond: 20 } }));
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer(harness.app);
  harness.relaySockets.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const ndjson = (events: RelayEvent[]) => events.map((event) => `${JSON.stringify(event)}\n`).join('');
/** The fake orchestrator's relay answer for one prompt, by what the caller said. */
let answerFor: (recorded: RecordedRequest) => {
  status?: number;
  body?: unknown;
  hang?: boolean;
  stream?: { chunks: Array<{ data: string }>; hangAfter?: boolean };
};

beforeEach(() => {
  answerFor = () => ({
    status: 200,
    body: ndjson([
      { type: 'text', token: 'Hello', last: false },
      { type: 'text', token: ' there.', last: false },
      { type: 'text', token: '', last: true },
    ]),
  });
  harness.orchestrator.on('POST', '/v1/relay/calls/start', (recorded) => ({
    status: 200,
    body: {
      customer_id: (recorded.body as { customer_id: number }).customer_id,
      welcome_greeting: 'Hi, this is Sam.',
      voice_id: 'voice-abc',
      hints: ['Acme Roofing', 'Sam', 'shingles, slate'],
    },
  }));
  harness.orchestrator.on('POST', '/v1/relay/calls/:callSid/setup', (recorded) =>
    (recorded.body as { session_id: string }).session_id === 'VX-unknown'
      ? { status: 404, body: { success: false, error: 'Call not found', code: 'NOT_FOUND' } }
      : { status: 200, body: { customer_id: (recorded.body as { customer_id: number }).customer_id, success: true } },
  );
  harness.orchestrator.on('POST', '/v1/relay/calls/:callSid/prompt', (recorded) => answerFor(recorded));
  harness.orchestrator.on('POST', '/v1/relay/calls/:callSid/interrupt', (recorded) => ({
    status: 200,
    body: { customer_id: (recorded.body as { customer_id: number }).customer_id, success: true },
  }));
});

interface TwilioSocket {
  socket: WebSocket;
  /** Messages the gateway sent so far. */
  received: Array<Record<string, unknown>>;
  send(message: unknown): void;
  /** Waits until `check` holds for what was received. */
  until(check: (received: Array<Record<string, unknown>>) => boolean): Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens the socket as Twilio does: the URL from the TwiML, X-Twilio-Signature over it with no parameters. */
async function connect(options: { number: string; callSid: string; authToken: string; signature?: string | null }): Promise<TwilioSocket> {
  const signedUrl = relaySocketUrl(PUBLIC_BASE_URL, { called: options.number, callSid: options.callSid });
  const signature =
    options.signature === undefined ? twilio.getExpectedTwilioSignature(options.authToken, signedUrl, {}) : options.signature;
  const localUrl = signedUrl.replace(/^wss:\/\/[^/]+/, `ws://127.0.0.1:${port}`);
  const socket = new WebSocket(localUrl, { headers: signature === null ? {} : { 'x-twilio-signature': signature } });
  const received: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    received.push(JSON.parse(data.toString()) as Record<string, unknown>);
    for (const waiter of waiters) waiter();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
  return {
    socket,
    received,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    until: (check) =>
      new Promise<void>((resolve) => {
        const test = () => {
          if (check(received)) {
            waiters.delete(test);
            resolve();
          }
        };
        waiters.add(test);
        test();
      }),
  };
}

/** Polls until `check` holds (for what the fake orchestrator received, which no socket message announces). */
async function eventually(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const setupMessage = (callSid: string, sessionId = 'VX00000000000000000000000000000001') => ({
  type: 'setup',
  sessionId,
  accountSid: 'AC00000000000000000000000000000000',
  parentCallSid: '',
  callSid,
  from: '+18005550100',
  to: '+18005550101',
  forwardedFrom: '',
  callType: 'PSTN',
  callerName: '',
  direction: 'inbound',
  callStatus: 'RINGING',
  customParameters: {},
});
const texts = (received: Array<Record<string, unknown>>) => received.filter((message) => message.type === 'text');
const relayRequests = (callSid: string, kind: string) =>
  harness.orchestrator.requests.filter((request) => request.path === `/v1/relay/calls/${callSid}/${kind}`);

async function openCall(overrides: Parameters<typeof harness.createTenant>[0] = {}) {
  const tenant = await harness.createTenant({ voiceMode: 'relay', ...overrides });
  const callSid = uniqueCallSid();
  const twilioSocket = await connect({ number: tenant.number, callSid, authToken: harness.platformToken });
  twilioSocket.send(setupMessage(callSid));
  return { tenant, callSid, twilioSocket };
}

describe('relay calls', () => {
  it('answers a relay tenant with <Connect><ConversationRelay> in its voice and language, and a gather tenant as before', async () => {
    const tenant = await harness.createTenant({ voiceMode: 'relay', language: 'es-US' });
    const callSid = uniqueCallSid();
    const response = await postSignedWebhook(
      harness.app,
      '/call/incoming',
      { CallSid: callSid, From: uniquePhone(), To: tenant.number },
      { authToken: harness.platformToken },
    );
    expect(response.status).toBe(200);
    expect(parseTwiml(response.text)).toEqual([
      {
        name: 'Connect',
        attributes: { action: `${PUBLIC_BASE_URL}/call/relay-ended`, method: 'POST' },
        text: '',
        children: [
          {
            name: 'ConversationRelay',
            attributes: {
              url: relaySocketUrl(PUBLIC_BASE_URL, { called: tenant.number, callSid }),
              welcomeGreeting: 'Hi, this is Sam.',
              welcomeGreetingInterruptible: 'any',
              ttsProvider: 'ElevenLabs',
              voice: 'voice-abc',
              language: 'es-US',
              transcriptionProvider: 'Deepgram',
              hints: 'Acme Roofing, Sam, shingles  slate',
              interruptible: 'any',
              dtmfDetection: 'true',
            },
            text: '',
            children: [],
          },
        ],
      },
    ]);

    const gatherTenant = await harness.createTenant();
    const gather = await postSignedWebhook(
      harness.app,
      '/call/incoming',
      { CallSid: uniqueCallSid(), From: uniquePhone(), To: gatherTenant.number },
      { authToken: harness.platformToken },
    );
    expect(parseTwiml(gather.text)[0]?.name).toBe('Gather');
  });

  it('answers a withheld caller id on the relay path too, as a stranger (caller null)', async () => {
    const tenant = await harness.createTenant({ voiceMode: 'relay' });
    const callSid = uniqueCallSid();
    const response = await postSignedWebhook(
      harness.app,
      '/call/incoming',
      { CallSid: callSid, From: 'Anonymous', To: tenant.number },
      { authToken: harness.platformToken },
    );
    expect(parseTwiml(response.text)[0]?.name).toBe('Connect');
    const starts = harness.orchestrator.requests.filter(
      (request) => request.path === '/v1/relay/calls/start' && (request.body as { call_sid: string }).call_sid === callSid,
    );
    expect(starts.map((request) => request.body)).toEqual([
      { customer_id: tenant.customerId, call_sid: callSid, caller: null, called: tenant.number },
    ]);
  });

  it('answers on the gather path when the orchestrator cannot start the relay call', async () => {
    const tenant = await harness.createTenant({ voiceMode: 'relay' });
    harness.orchestrator.on('POST', '/v1/relay/calls/start', () => ({
      status: 503,
      body: { success: false, error: 'down', code: 'UNAVAILABLE' },
    }));
    const response = await postSignedWebhook(
      harness.app,
      '/call/incoming',
      { CallSid: uniqueCallSid(), From: uniquePhone(), To: tenant.number },
      { authToken: harness.platformToken },
    );
    expect(parseTwiml(response.text)[0]?.name).toBe('Gather');
    expect(await harness.counter('orchestrator_unavailable_total', { operation: 'relay_start' })).toBeGreaterThanOrEqual(1);
  });

  it('refuses a handshake without a valid signature with 403 and opens no socket', async () => {
    const tenant = await harness.createTenant({ voiceMode: 'relay' });
    const callSid = uniqueCallSid();
    await expect(connect({ number: tenant.number, callSid, authToken: harness.platformToken, signature: null })).rejects.toThrow(
      'HTTP 403',
    );
    await expect(connect({ number: tenant.number, callSid, authToken: 'not-the-token' })).rejects.toThrow('HTTP 403');
    // A BYOK tenant's socket is signed by its own account, not the platform's.
    const byok = await harness.createByokTenant('byok-relay-token', { voiceMode: 'relay' });
    await expect(connect({ number: byok.number, callSid, authToken: harness.platformToken })).rejects.toThrow('HTTP 403');
    const accepted = await connect({ number: byok.number, callSid, authToken: 'byok-relay-token' });
    accepted.socket.close();
    expect(await harness.counter('relay_rejected_total', { reason: 'signature_missing' })).toBeGreaterThanOrEqual(1);
    expect(await harness.counter('relay_rejected_total', { reason: 'signature_mismatch' })).toBeGreaterThanOrEqual(2);
  });

  it('streams the answer to a prompt as text tokens, ending with last', async () => {
    const { tenant, callSid, twilioSocket } = await openCall();
    twilioSocket.send({ type: 'prompt', voicePrompt: 'Hi, are you open today?', lang: 'en-US', last: true });
    await twilioSocket.until((received) => texts(received).some((message) => message.last === true));
    expect(twilioSocket.received).toEqual([
      { type: 'text', token: 'Hello', last: false },
      { type: 'text', token: ' there.', last: false },
      { type: 'text', token: '', last: true },
    ]);
    const [prompt] = relayRequests(callSid, 'prompt');
    expect(prompt?.body).toEqual({ customer_id: tenant.customerId, input: { type: 'speech', text: 'Hi, are you open today?' } });
    const auth = await harness.verifyToken(prompt!, 'orchestrator');
    expect([auth.customerId, auth.callId]).toEqual([tenant.customerId, callSid]);
    expect(relayRequests(callSid, 'setup')).toHaveLength(1);

    twilioSocket.send({ type: 'dtmf', digit: '5' });
    await eventually(() => relayRequests(callSid, 'prompt').length === 2);
    expect(relayRequests(callSid, 'prompt')[1]?.body).toEqual({ customer_id: tenant.customerId, input: { type: 'dtmf', digit: '5' } });
    twilioSocket.socket.close();
  });

  it('aborts the answer in flight on interrupt and reports what the caller heard', async () => {
    const { tenant, callSid, twilioSocket } = await openCall();
    answerFor = () => ({
      status: 200,
      stream: { chunks: [{ data: ndjson([{ type: 'text', token: 'Our hours', last: false }]) }], hangAfter: true },
    });
    twilioSocket.send({ type: 'prompt', voicePrompt: 'When are you open?', last: true });
    await twilioSocket.until((received) => texts(received).length === 1);
    twilioSocket.send({ type: 'interrupt', utteranceUntilInterrupt: 'Our', durationUntilInterruptMs: 420 });
    await eventually(() => relayRequests(callSid, 'interrupt').length === 1);
    expect(relayRequests(callSid, 'interrupt')[0]?.body).toEqual({
      customer_id: tenant.customerId,
      utterance_until_interrupt: 'Our',
      duration_until_interrupt_ms: 420,
    });
    twilioSocket.socket.close();
  });

  it('ends the session with the handoff, and the action URL dials the transfer as the gather path does', async () => {
    const transferNumber = uniquePhone();
    const { tenant, twilioSocket } = await openCall({ transferNumber });
    const transfer = {
      type: 'transfer',
      number: transferNumber,
      timeout_seconds: 20,
      caller_id: tenant.number,
      whisper: { text: 'Call from a caller.', language: 'en-US' },
    } as const;
    const handoffData = JSON.stringify({ reason: 'transfer', transfer });
    answerFor = () => ({
      status: 200,
      body: ndjson([
        { type: 'text', token: 'One moment.', last: true },
        { type: 'end', handoff: { reason: 'transfer', transfer } },
      ]),
    });
    twilioSocket.send({ type: 'prompt', voicePrompt: 'Let me talk to a person', last: true });
    await twilioSocket.until((received) => received.some((message) => message.type === 'end'));
    expect(twilioSocket.received.at(-1)).toEqual({ type: 'end', handoffData });

    const action = await postSignedWebhook(
      harness.app,
      '/call/relay-ended',
      { CallSid: uniqueCallSid(), To: tenant.number, SessionStatus: 'ended', HandoffData: handoffData },
      { authToken: harness.platformToken },
    );
    const [dial] = parseTwiml(action.text);
    expect(dial).toMatchObject({
      name: 'Dial',
      attributes: { action: `${PUBLIC_BASE_URL}/call/transfer-status`, timeout: '20', callerId: tenant.number },
    });
    expect(dial?.children.map((child) => [child.name, child.text])).toEqual([['Number', transferNumber]]);
    expect(dial?.children[0]?.attributes.url).toContain('/call/whisper?');
    const hangup = await postSignedWebhook(
      harness.app,
      '/call/relay-ended',
      { CallSid: uniqueCallSid(), To: tenant.number, SessionStatus: 'completed' },
      { authToken: harness.platformToken },
    );
    expect(parseTwiml(hangup.text).map((verb) => verb.name)).toEqual(['Hangup']);
    twilioSocket.socket.close();
  });

  it('speaks the fallback itself and ends to the fallback when the orchestrator is unreachable', async () => {
    const { callSid, twilioSocket } = await openCall();
    answerFor = () => ({ hang: true });
    twilioSocket.send({ type: 'prompt', voicePrompt: 'Hello?', last: true });
    await twilioSocket.until((received) => received.some((message) => message.type === 'end'));
    expect(twilioSocket.received).toEqual([
      { type: 'text', token: RELAY_FALLBACK_TEXT, last: true },
      { type: 'end', handoffData: '{"reason":"fallback"}' },
    ]);
    expect(relayRequests(callSid, 'prompt')).toHaveLength(1);
    twilioSocket.socket.close();
  });

  it('finishes the call as a hang-up when Twilio drops the socket', async () => {
    const { tenant, callSid, twilioSocket } = await openCall();
    await eventually(() => relayRequests(callSid, 'setup').length === 1);
    twilioSocket.socket.terminate();
    const ended = () => harness.orchestrator.requests.filter((request) => request.path === `/v1/calls/${callSid}/end`);
    await eventually(() => ended().length === 1);
    expect(ended()[0]?.body).toEqual({ customer_id: tenant.customerId, status: 'completed' });
  });

  describe('bad input closes that socket only, with a code naming the problem', () => {
    it.each([
      ['not JSON', 'this is not json', 1007, 'message is not JSON'],
      ['an unknown type', { type: 'teleport' }, 1008, 'unknown message type: teleport'],
      ['a prompt before setup', { type: 'prompt', voicePrompt: 'hi', last: true }, 1008, 'setup must come first'],
      ['a prompt over 64 KB', { type: 'prompt', voicePrompt: 'a'.repeat(70_000), last: true }, 1009, ''],
    ])('%s', async (_case, message, code, reason) => {
      const tenant = await harness.createTenant({ voiceMode: 'relay' });
      const callSid = uniqueCallSid();
      const bystander = await openCall();
      const twilioSocket = await connect({ number: tenant.number, callSid, authToken: harness.platformToken });
      if (_case === 'a prompt over 64 KB') twilioSocket.send(setupMessage(callSid));
      twilioSocket.send(message);
      const closed = await twilioSocket.closed;
      expect(closed.code).toBe(code);
      if (reason) expect(closed.reason).toBe(reason);
      // Another call on the same gateway carries on.
      bystander.twilioSocket.send({ type: 'prompt', voicePrompt: 'Still there?', last: true });
      await bystander.twilioSocket.until((received) => texts(received).some((text) => text.last === true));
      bystander.twilioSocket.socket.close();
    });

    it('a flood of messages', async () => {
      const { twilioSocket } = await openCall();
      for (let i = 0; i < 30; i++) twilioSocket.send({ type: 'error', description: `noise ${i}` });
      expect(await twilioSocket.closed).toEqual({ code: 4429, reason: 'too many messages' });
    });

    it('a socket for a call the orchestrator does not know', async () => {
      const tenant = await harness.createTenant({ voiceMode: 'relay' });
      const callSid = uniqueCallSid();
      const twilioSocket = await connect({ number: tenant.number, callSid, authToken: harness.platformToken });
      twilioSocket.send(setupMessage(callSid, 'VX-unknown'));
      expect(await twilioSocket.closed).toEqual({ code: 4404, reason: 'unknown call' });
    });

    it('a setup for another call than the signed URL names', async () => {
      const tenant = await harness.createTenant({ voiceMode: 'relay' });
      const twilioSocket = await connect({ number: tenant.number, callSid: uniqueCallSid(), authToken: harness.platformToken });
      twilioSocket.send(setupMessage(uniqueCallSid()));
      expect(await twilioSocket.closed).toEqual({ code: 1008, reason: 'setup is for another call' });
    });
  });

  it("keeps two tenants' concurrent sessions apart", async () => {
    const first = await openCall();
    const second = await openCall();
    answerFor = (recorded) => {
      const { customer_id: customerId } = recorded.body as { customer_id: number };
      return {
        status: 200,
        body: ndjson([
          { type: 'text', token: `tenant ${customerId}`, last: false },
          { type: 'text', token: '', last: true },
        ]),
      };
    };
    first.twilioSocket.send({ type: 'prompt', voicePrompt: 'first caller', last: true });
    second.twilioSocket.send({ type: 'prompt', voicePrompt: 'second caller', last: true });
    await Promise.all(
      [first, second].map(({ twilioSocket }) => twilioSocket.until((received) => texts(received).some((text) => text.last === true))),
    );
    expect(texts(first.twilioSocket.received)[0]).toEqual({ type: 'text', token: `tenant ${first.tenant.customerId}`, last: false });
    expect(texts(second.twilioSocket.received)[0]).toEqual({ type: 'text', token: `tenant ${second.tenant.customerId}`, last: false });
    for (const { tenant, callSid } of [first, second]) {
      const prompts = relayRequests(callSid, 'prompt');
      expect(prompts).toHaveLength(1);
      expect((await harness.verifyToken(prompts[0]!, 'orchestrator')).customerId).toBe(tenant.customerId);
    }
    first.twilioSocket.socket.close();
    second.twilioSocket.socket.close();
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { uniquePhone, useHarness } from '@neurosphere/testing';
import { greetingInstructions, PUBLIC_BASE_URL, startHarness } from '../../test/harness';

// The simulator CLI in script mode, as a user runs it, against a real gateway listening on a
// port (with the fake orchestrator behind it).

const run = promisify(execFile);
const harness = useHarness(startHarness);
let server: Server;
let gatewayUrl: string;

beforeAll(async () => {
  server = createServer(harness.app);
  harness.relaySockets.attach(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The words the orchestrator sends beside each audio token; the re-prompt's audio predates them.
  const words: Record<string, string> = {
    'greeting-token-0123456789': greetingInstructions.speak[0]!.text,
    'quote-token-0123456789': 'Happy to help — what’s the address?',
  };
  harness.orchestrator.on('GET', '/v1/audio/:token', (_recorded, params) => {
    const text = words[params.token ?? ''];
    return {
      status: 200,
      headers: { 'content-type': 'audio/mpeg', ...(text === undefined ? {} : { 'x-speech-text': encodeURIComponent(text) }) },
      body: Buffer.alloc(1234, 7),
    };
  });
  const gather = { type: 'gather', speech_timeout_seconds: 4 };
  harness.orchestrator.on('POST', '/v1/calls/:callSid/turn', (recorded) => {
    const speech = (recorded.body as { speech: string | null }).speech;
    if (speech === null)
      return {
        status: 200,
        body: { speak: [{ type: 'play', audio_token: 'reprompt-token-0123456789', text: 'Are you still there?' }], next: gather },
      };
    if (speech.includes('bye')) return { status: 200, body: { speak: [{ type: 'say', text: 'Goodbye!' }], next: { type: 'hangup' } } };
    if (speech.includes('person')) {
      return {
        status: 200,
        body: { speak: [{ type: 'say', text: 'One moment.' }], next: { type: 'transfer', number: '+12125550150', timeout_seconds: 20 } },
      };
    }
    if (speech.includes('quote'))
      return {
        status: 200,
        body: { speak: [{ type: 'play', audio_token: 'quote-token-0123456789', text: words['quote-token-0123456789'] }], next: gather },
      };
    return { status: 200, body: { speak: [{ type: 'say', text: `You said: ${speech}` }], next: gather } };
  });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('plays a scripted call: greeting audio with its words, turns, silence, hang-up by the agent, status callback', async () => {
  const tenant = await harness.createTenant();
  const caller = uniquePhone();
  const script = path.join(mkdtempSync(path.join(tmpdir(), 'call-sim-')), 'call.txt');
  writeFileSync(
    script,
    ['# a caller who wants a quote', 'I would like a quote', '(silence)', 'ok bye  # hangs up after this', 'never sent'].join('\n'),
  );

  const { stdout } = await run(
    process.execPath,
    [
      '--conditions=development',
      '--import',
      'tsx',
      'src/cli/call-simulator.ts',
      '--',
      '--to',
      tenant.number,
      '--from',
      caller,
      '--script',
      script,
    ],
    {
      cwd: path.resolve(__dirname, '..', '..'),
      env: { ...process.env, GATEWAY_URL: gatewayUrl, PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN: harness.platformToken },
      timeout: 60_000,
    },
  );

  const lines = stdout.trim().split('\n');
  expect(lines[0]).toBe(
    `calling ${tenant.number} from ${caller} through ${gatewayUrl} (signing for ${PUBLIC_BASE_URL}, token from environment)`,
  );
  expect(lines.slice(2)).toEqual([
    'agent: Hello, how can I help?',
    `  audio: ${PUBLIC_BASE_URL}/audio/greeting-token-0123456789 [audio/mpeg, 1234 bytes]`,
    'caller: I would like a quote',
    'agent: Happy to help — what’s the address?',
    `  audio: ${PUBLIC_BASE_URL}/audio/quote-token-0123456789 [audio/mpeg, 1234 bytes]`,
    'caller: (silence or hang-up)',
    'agent: (words not available: the audio came without X-Speech-Text)',
    `  audio: ${PUBLIC_BASE_URL}/audio/reprompt-token-0123456789 [audio/mpeg, 1234 bytes]`,
    'caller: ok bye',
    'agent: Goodbye!',
    'call ended by agent',
    expect.stringMatching(/^status callback sent: completed, \d+ s \(gateway answered 204\)$/) as unknown as string,
  ]);

  const callSid = /^call (CA[0-9a-f]{32}) ringing$/.exec(lines[1] ?? '')?.[1];
  expect(callSid).toBeDefined();
  const calls = harness.orchestrator.requests.filter(
    (r) => r.path.includes(callSid!) || (r.body as { call_sid?: string })?.call_sid === callSid,
  );
  expect(calls.map((r) => [r.path, r.body])).toEqual([
    ['/v1/calls/start', { customer_id: tenant.customerId, call_sid: callSid, caller, called: tenant.number }],
    [`/v1/calls/${callSid}/turn`, { customer_id: tenant.customerId, speech: 'I would like a quote', confidence: 0.92 }],
    [`/v1/calls/${callSid}/turn`, { customer_id: tenant.customerId, speech: null }],
    [`/v1/calls/${callSid}/turn`, { customer_id: tenant.customerId, speech: 'ok bye', confidence: 0.92 }],
    [`/v1/calls/${callSid}/end`, { customer_id: tenant.customerId, status: 'completed', duration_seconds: expect.any(Number) as unknown }],
  ]);
});

it('plays a transfer nobody answers: the simulator reports the outcome, and the agent comes back', async () => {
  const tenant = await harness.createTenant();
  harness.orchestrator.on('POST', '/v1/calls/:callSid/transfer-result', (recorded) => {
    const status = (recorded.body as { status: string }).status;
    return {
      status: 200,
      body: { speak: [{ type: 'say', text: `Nobody answered (${status}). Goodbye for now.` }], next: { type: 'hangup' } },
    };
  });
  const script = path.join(mkdtempSync(path.join(tmpdir(), 'call-sim-')), 'call.txt');
  writeFileSync(script, 'I want a person\n');

  const { stdout } = await run(
    process.execPath,
    [
      '--conditions=development',
      '--import',
      'tsx',
      'src/cli/call-simulator.ts',
      '--',
      '--to',
      tenant.number,
      '--from',
      uniquePhone(),
      '--script',
      script,
      '--transfer',
      'no-answer',
    ],
    {
      cwd: path.resolve(__dirname, '..', '..'),
      env: { ...process.env, GATEWAY_URL: gatewayUrl, PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN: harness.platformToken },
      timeout: 60_000,
    },
  );

  const lines = stdout.trim().split('\n');
  expect(lines).toEqual(
    expect.arrayContaining([
      'caller: I want a person',
      'agent: One moment.',
      'agent transfers the call to +12125550150',
      'transfer ended: no-answer',
      'agent: Nobody answered (no-answer). Goodbye for now.',
      'call ended by agent',
    ]),
  );
});

it('says clearly when the gateway refuses its signature', async () => {
  const tenant = await harness.createTenant();
  const script = path.join(mkdtempSync(path.join(tmpdir(), 'call-sim-')), 'call.txt');
  writeFileSync(script, 'hello\n');
  const failure = await run(
    process.execPath,
    [
      '--conditions=development',
      '--import',
      'tsx',
      'src/cli/call-simulator.ts',
      '--to',
      tenant.number,
      '--from',
      uniquePhone(),
      '--script',
      script,
    ],
    {
      cwd: path.resolve(__dirname, '..', '..'),
      env: { ...process.env, GATEWAY_URL: gatewayUrl, PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN: 'not-the-gateway-token' },
      timeout: 60_000,
    },
  ).then(
    () => undefined,
    (error: { code: number; stderr: string }) => error,
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stderr).toContain('error: /call/incoming answered 403');
});

it('plays a relay call with --relay: streamed tokens with their timing, an interrupt, a key press and the transfer', async () => {
  const transferNumber = uniquePhone();
  const tenant = await harness.createTenant({ voiceMode: 'relay', transferNumber });
  const ok = (recorded: { body: unknown }) => ({
    status: 200,
    body: { customer_id: (recorded.body as { customer_id: number }).customer_id, success: true },
  });
  const ndjson = (events: object[]) => events.map((event) => `${JSON.stringify(event)}\n`).join('');
  harness.orchestrator.on('POST', '/v1/relay/calls/start', (recorded) => ({
    status: 200,
    body: { customer_id: (recorded.body as { customer_id: number }).customer_id, welcome_greeting: 'Hi, this is Sam.', voice_id: null },
  }));
  harness.orchestrator.on('POST', '/v1/relay/calls/:callSid/setup', ok);
  // After the transfer the call is the gather path's: the person answered, the call ends.
  harness.orchestrator.on('POST', '/v1/calls/:callSid/transfer-result', () => ({
    status: 200,
    body: { speak: [], next: { type: 'hangup' } },
  }));
  harness.orchestrator.on('POST', '/v1/relay/calls/:callSid/interrupt', ok);
  harness.orchestrator.on('POST', '/v1/relay/calls/:callSid/prompt', (recorded) => {
    const { input } = recorded.body as { input: { type: string; text?: string; digit?: string } };
    if (input.type === 'dtmf') {
      const transfer = { type: 'transfer', number: transferNumber, timeout_seconds: 20, caller_id: tenant.number };
      return {
        status: 200,
        body: ndjson([
          { type: 'text', token: 'Connecting you.', last: true },
          { type: 'end', handoff: { reason: 'transfer', transfer } },
        ]),
      };
    }
    if (input.text?.includes('roof'))
      return { status: 200, stream: { chunks: [{ data: ndjson([{ type: 'text', token: 'The roof', last: false }]) }], hangAfter: true } };
    return {
      status: 200,
      body: ndjson([
        { type: 'text', token: 'We open', last: false },
        { type: 'text', token: ' at nine.', last: false },
        { type: 'text', token: '', last: true },
      ]),
    };
  });
  const script = path.join(mkdtempSync(path.join(tmpdir(), 'call-sim-')), 'relay.txt');
  writeFileSync(script, ['What are your hours?', 'Tell me about the roof', '/interrupt', '/dtmf 0'].join('\n'));

  const { stdout } = await run(
    process.execPath,
    [
      '--conditions=development',
      '--import',
      'tsx',
      'src/cli/call-simulator.ts',
      '--',
      '--relay',
      '--to',
      tenant.number,
      '--from',
      uniquePhone(),
      '--script',
      script,
    ],
    {
      cwd: path.resolve(__dirname, '..', '..'),
      env: { ...process.env, GATEWAY_URL: gatewayUrl, PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN: harness.platformToken },
      timeout: 60_000,
    },
  );
  const timed = (text: string) =>
    expect.stringMatching(new RegExp(`^  \\+\\d+ ms ${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)) as unknown as string;
  expect(stdout.trim().split('\n').slice(2)).toEqual([
    'agent: Hi, this is Sam.',
    expect.stringMatching(/^relay socket open: wss:\/\/voice\.gateway\.test\/relay\/socket\?number=/) as unknown as string,
    'caller: What are your hours?',
    timed('"We open"'),
    timed('" at nine."'),
    timed('"" (last)'),
    expect.stringMatching(/^agent: We open at nine\. \[first token \d+ ms, done \d+ ms\]$/) as unknown as string,
    'caller: Tell me about the roof',
    timed('"The roof"'),
    'caller interrupts after hearing: "The roof"',
    'caller: (presses 0)',
    timed('"Connecting you." (last)'),
    expect.stringMatching(/^agent: Connecting you\. \[first token \d+ ms, done \d+ ms\]$/) as unknown as string,
    `agent ends the relay session: {"reason":"transfer","transfer":{"type":"transfer","number":"${transferNumber}","timeout_seconds":20,"caller_id":"${tenant.number}"}}`,
    `agent transfers the call to ${transferNumber}`,
    'transfer ended: completed',
    'call ended by agent',
    expect.stringMatching(/^status callback sent: completed, \d+ s \(gateway answered 204\)$/) as unknown as string,
  ]);
});

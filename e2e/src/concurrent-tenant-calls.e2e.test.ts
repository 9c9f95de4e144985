import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { fakeAudioFor, uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import type { ChatRequest } from '@neurosphere/testing';
import { startPlatformStack } from './support/platform-stack';
import type { PlatformStack } from './support/platform-stack';
import { repoRoot, tailOf } from './support/service-processes';
import { createTenant, insuranceFixture, realEstateFixture, warmUpFixture } from './support/tenant-fixtures';
import type { TenantFixture } from './support/tenant-fixtures';
import { RelayCall, TwilioCall } from './support/twilio-phone';
import type { AgentAnswer } from './support/twilio-phone';

// Issue 4's "done when": two tenants' calls at the same time, turns interleaved, from the same
// caller number to the two tenants' numbers. Each call must get its own greeting, agent name,
// voice and caller context, nothing may cross, and both transcripts end up summarized under the
// right customer_id. Everything runs as separate processes; only OpenAI, ElevenLabs and Twilio
// are fakes.

const dbEnv = requireTestDatabaseEnv();
const suffix = uniqueSuffix();
const callerPhone = uniquePhone();

/** What each caller says, per tenant; each line names its own business's matter only. */
const callerLines = {
  insurance: ['I have a question about my auto policy renewal', 'Please have an agent call me about the deductible'],
  realEstate: ['I would like to see the open house on Saturday', 'Can someone send me the listing price'],
};

/** The fake model: chat turns echo the caller; the memory worker's structured summary names the call's topic. */
function fakeModel(request: ChatRequest) {
  const text = request.messages
    .map((message) => (typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? '')))
    .join('\n');
  if (request.response_format?.type === 'json_schema') {
    const schema = request.response_format.json_schema?.schema as
      { properties?: Record<string, { properties?: Record<string, unknown> }> } | undefined;
    const nullsFor = (key: string, value: unknown) =>
      Object.fromEntries(Object.keys(schema?.properties?.[key]?.properties ?? {}).map((name) => [name, value]));
    const topic = [...callerLines.insurance, ...callerLines.realEstate].find((line) => text.includes(line)) ?? 'no known topic';
    return {
      json: {
        summary: `The caller said: ${topic}.`,
        key_topics: ['e2e'],
        caller_name: null,
        facts: [],
        // Profile changes, not a whole profile (memory's build-extraction-schema): none here.
        changes: [],
        personality: nullsFor('personality', 50),
      },
    };
  }
  const lastCallerLine = [...request.messages].reverse().find((message) => message.role === 'user');
  const said = typeof lastCallerLine?.content === 'string' ? lastCallerLine.content : '';
  return { content: `Certainly. You said: ${said}` };
}

let stack: PlatformStack;
let platformDb: Db;
let appDb: Db;
let insurance: TenantFixture;
let realEstate: TenantFixture;
/** How many requests the fake providers had seen when the checked calls began (after the warm-up). */
let baseline = { openai: 0, elevenLabs: 0 };

beforeAll(async () => {
  stack = await startPlatformStack({ openai: fakeModel });
  platformDb = createDb({ url: dbEnv.platformUrl, poolMax: 2 });
  appDb = createDb({ url: dbEnv.appUrl, poolMax: 2 });
  insurance = await createTenant({
    platformDb,
    fixture: insuranceFixture(suffix),
    callerPhone,
    platformAuthToken: stack.platformTwilioToken,
  });
  // The real estate number lives in the tenant's own Twilio account: its webhooks are signed with its token.
  realEstate = await createTenant({
    platformDb,
    fixture: realEstateFixture(suffix),
    callerPhone,
    platformAuthToken: stack.platformTwilioToken,
    byok: { authToken: `byok-${randomBytes(12).toString('hex')}`, keyring: stack.byokKeyring },
  });

  // One whole call to a third tenant first: freshly started apps answer their first requests
  // slowly (module loading, first queries), and this test is about who says what, not latency.
  const warmUp = await createTenant({
    platformDb,
    fixture: warmUpFixture(suffix),
    callerPhone: uniquePhone(),
    platformAuthToken: stack.platformTwilioToken,
  });
  const warmUpCall = new TwilioCall({
    gatewayUrl: stack.gatewayUrl,
    authToken: warmUp.twilioAuthToken,
    from: uniquePhone(),
    to: warmUp.number,
  });
  await warmUpCall.start();
  await warmUpCall.say('Is the shop open today?');
  await warmUpCall.end();
  await waitForSummary(warmUp.customerId, warmUpCall.callSid);
  baseline = { openai: stack.openai.requests.length, elevenLabs: stack.elevenLabs.requests.length };
});

/** Provider requests made for the checked calls (after the warm-up). */
const chatRequestsSinceWarmUp = () =>
  stack.openai.requests
    .slice(baseline.openai)
    .filter((r) => r.path === '/v1/chat/completions')
    .map((r) => r.body as ChatRequest);
const ttsRequestsSinceWarmUp = () =>
  stack.elevenLabs.requests
    .slice(baseline.elevenLabs)
    .filter((r) => r.path.startsWith('/v1/text-to-speech/'))
    .map((r) => ({ voiceId: decodeURIComponent(r.path.split('/')[3] ?? ''), text: ((r.body ?? {}) as { text?: string }).text ?? '' }));

afterAll(async () => {
  await stack?.stop();
  await Promise.all([platformDb?.$disconnect(), appDb?.$disconnect()]);
});

/** The TTS request that produced the audio behind a <Play> (the fake's audio is a digest of voice + text). */
async function spokenBy(answer: AgentAnswer): Promise<Array<{ voiceId: string; text: string }>> {
  const spoken: Array<{ voiceId: string; text: string }> = [];
  for (const item of answer.speech) {
    if ('say' in item) throw new Error(`expected synthesized speech, got <Say>${item.say}</Say> (TTS fell back):\n${answer.twiml}`);
    const audio = await TwilioCall.fetchAudio(item.play);
    const source = stack.elevenLabs.ttsRequests().find((request) => fakeAudioFor(request.voiceId, request.text).equals(audio));
    if (!source) throw new Error(`no TTS request produced the audio at ${item.play}`);
    spoken.push(source);
  }
  return spoken;
}

const markersOf = (tenant: TenantFixture) => [...Object.values(tenant.markers), tenant.greeting];

async function waitForSummary(customerId: number, callSid: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const summary = await withTenant(appDb, customerId, (tx) => tx.callSummary.findFirst({ where: { callSid } }));
    // A row may first exist as 'pending' (transcript stored, summarization queued).
    if (summary && (summary as { status?: string }).status !== 'pending') return summary;
    if (Date.now() > deadline) {
      const logs = stack.services.map((service) => `--- ${service.name}\n${tailOf(service, 15)}`).join('\n');
      throw new Error(`no summary for ${callSid} (customer ${customerId}) after ${timeoutMs / 1000} s\n${logs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

it('runs two tenants’ calls from the same caller concurrently without anything crossing', async () => {
  const insuranceCall = new TwilioCall({
    gatewayUrl: stack.gatewayUrl,
    authToken: insurance.twilioAuthToken,
    from: callerPhone,
    to: insurance.number,
  });
  const realEstateCall = new TwilioCall({
    gatewayUrl: stack.gatewayUrl,
    authToken: realEstate.twilioAuthToken,
    from: callerPhone,
    to: realEstate.number,
  });

  // Both phones ring at once.
  const [insuranceGreeting, realEstateGreeting] = await Promise.all([insuranceCall.start(), realEstateCall.start()]);
  for (const [answer, tenant] of [
    [insuranceGreeting, insurance],
    [realEstateGreeting, realEstate],
  ] as const) {
    expect(answer.next).toEqual({ gather: expect.objectContaining({ action: `${stack.gatewayUrl}/call/turn` }) as unknown });
    const spoken = await spokenBy(answer);
    expect(spoken.length).toBeGreaterThan(0);
    // Its own voice, its own greeting (which names the business and the agent; the orchestrator
    // may personalise it for a known caller, so the exact wording is not pinned).
    expect(spoken.every((item) => item.voiceId === tenant.voiceId)).toBe(true);
    const greeting = spoken.map((item) => item.text).join(' ');
    expect(greeting).toContain(tenant.markers.businessName);
    expect(greeting).toContain(tenant.markers.agentName);
  }

  // Turns interleaved: each round, both callers speak at the same time.
  for (let round = 0; round < 2; round++) {
    const [insuranceAnswer, realEstateAnswer] = await Promise.all([
      insuranceCall.say(callerLines.insurance[round]!),
      realEstateCall.say(callerLines.realEstate[round]!),
    ]);
    for (const [answer, tenant, line] of [
      [insuranceAnswer, insurance, callerLines.insurance[round]!],
      [realEstateAnswer, realEstate, callerLines.realEstate[round]!],
    ] as const) {
      const spoken = await spokenBy(answer);
      expect(spoken.every((item) => item.voiceId === tenant.voiceId)).toBe(true);
      expect(spoken.map((item) => item.text).join(' ')).toContain(line);
    }
  }

  // The model saw each tenant's own prompt and caller context, and nothing of the other's.
  const chats = chatRequestsSinceWarmUp().filter((request) => request.response_format?.type !== 'json_schema');
  const promptText = (request: ChatRequest) => JSON.stringify(request.messages);
  for (const [tenant, other, lines, otherLines] of [
    [insurance, realEstate, callerLines.insurance, callerLines.realEstate],
    [realEstate, insurance, callerLines.realEstate, callerLines.insurance],
  ] as const) {
    const own = chats.filter((request) => promptText(request).includes(tenant.markers.templateRole));
    expect(own.length).toBeGreaterThanOrEqual(2);
    for (const request of own) {
      const text = promptText(request);
      for (const marker of [tenant.markers.agentName, tenant.markers.memoryNote]) expect(text).toContain(marker);
      for (const marker of [...markersOf(other), ...otherLines]) expect(text).not.toContain(marker);
    }
    expect(promptText(own[own.length - 1]!)).toContain(lines[1]);
  }
  // Every chat request belongs to exactly one of the two tenants.
  expect(
    chats.every(
      (request) =>
        promptText(request).includes(insurance.markers.templateRole) !== promptText(request).includes(realEstate.markers.templateRole),
    ),
  ).toBe(true);

  // Each voice spoke only its own tenant's words.
  for (const [tenant, other] of [
    [insurance, realEstate],
    [realEstate, insurance],
  ] as const) {
    const said = ttsRequestsSinceWarmUp().filter((request) => request.voiceId === tenant.voiceId);
    for (const request of said) for (const marker of markersOf(other)) expect(request.text).not.toContain(marker);
  }

  // Both calls end; Twilio's status callbacks arrive together.
  expect(await Promise.all([insuranceCall.end('completed', 40), realEstateCall.end('completed', 35)])).toEqual([204, 204]);

  // Both transcripts are summarized by the memory worker, each under its own tenant only.
  for (const [tenant, other, call, lines] of [
    [insurance, realEstate, insuranceCall, callerLines.insurance],
    [realEstate, insurance, realEstateCall, callerLines.realEstate],
  ] as const) {
    const summary = await waitForSummary(tenant.customerId, call.callSid);
    expect(summary.customerId).toBe(tenant.customerId);
    expect(summary.userId).toBe(callerPhone);
    expect(summary.summary).toBe(`The caller said: ${lines[0]}.`);
    const seenByOther = await withTenant(appDb, other.customerId, (tx) => tx.callSummary.findFirst({ where: { callSid: call.callSid } }));
    expect(seenByOther).toBeNull();
    const callLog = await withTenant(appDb, tenant.customerId, (tx) => tx.call.findFirst({ where: { callSid: call.callSid } }));
    expect(callLog).toMatchObject({ customerId: tenant.customerId, fromNumber: callerPhone, toNumber: tenant.number });
  }

  // The summarizer was shown each transcript on its own.
  const summaries = chatRequestsSinceWarmUp().filter((request) => request.response_format?.type === 'json_schema');
  for (const [lines, otherLines] of [
    [callerLines.insurance, callerLines.realEstate],
    [callerLines.realEstate, callerLines.insurance],
  ] as const) {
    const own = summaries.filter((request) => JSON.stringify(request.messages).includes(lines[0]!));
    expect(own.length).toBeGreaterThanOrEqual(1);
    for (const request of own) for (const line of otherLines) expect(JSON.stringify(request.messages)).not.toContain(line);
  }
});

it('runs two relay tenants’ calls from the same caller concurrently, streamed, without anything crossing', async () => {
  const [relayInsurance, relayRealEstate] = [
    await createTenant({
      platformDb,
      fixture: insuranceFixture(`${suffix}-relay`),
      callerPhone,
      platformAuthToken: stack.platformTwilioToken,
      voiceMode: 'relay',
    }),
    await createTenant({
      platformDb,
      fixture: realEstateFixture(`${suffix}-relay`),
      callerPhone,
      platformAuthToken: stack.platformTwilioToken,
      byok: { authToken: `byok-${randomBytes(12).toString('hex')}`, keyring: stack.byokKeyring },
      voiceMode: 'relay',
    }),
  ];
  const chatsBefore = stack.openai.requests.length;
  const pairs = [
    { tenant: relayInsurance, other: relayRealEstate, lines: callerLines.insurance, otherLines: callerLines.realEstate },
    { tenant: relayRealEstate, other: relayInsurance, lines: callerLines.realEstate, otherLines: callerLines.insurance },
  ].map((pair) => ({
    ...pair,
    call: new RelayCall({
      gatewayUrl: stack.gatewayUrl,
      authToken: pair.tenant.twilioAuthToken,
      from: callerPhone,
      to: pair.tenant.number,
    }),
  }));

  // Both phones ring at once: each greeting in its own words and voice, spoken by Twilio.
  const answers = await Promise.all(pairs.map(({ call }) => call.start()));
  pairs.forEach(({ tenant }, index) => {
    expect(answers[index]).toMatchObject({ voice: tenant.voiceId });
    expect(answers[index]!.greeting).toContain(tenant.markers.businessName);
    expect(answers[index]!.socketUrl.startsWith(stack.gatewayUrl.replace(/^http/, 'ws'))).toBe(true);
  });

  // Prompts interleaved: each round, both callers finish a sentence at the same time.
  for (let round = 0; round < 2; round++) {
    const streamed = await Promise.all(pairs.map(({ call, lines }) => call.say(lines[round]!)));
    pairs.forEach(({ lines, otherLines }, index) => {
      expect(streamed[index]).toContain(lines[round]);
      for (const line of otherLines) expect(streamed[index]).not.toContain(line);
    });
  }

  // Every streamed completion carried one tenant's prompt and caller memory, and nothing of the other's.
  const chats = stack.openai.requests
    .slice(chatsBefore)
    .filter((recorded) => recorded.path === '/v1/chat/completions')
    .map((recorded) => recorded.body as ChatRequest)
    .filter((request) => request.stream === true);
  expect(chats.length).toBeGreaterThanOrEqual(4);
  for (const { tenant, other, otherLines } of pairs) {
    const own = chats.filter((request) => JSON.stringify(request.messages).includes(tenant.markers.memoryNote));
    expect(own.length).toBeGreaterThanOrEqual(2);
    for (const request of own)
      for (const marker of [...markersOf(other), ...otherLines]) expect(JSON.stringify(request.messages)).not.toContain(marker);
  }

  // Both callers hang up: each transcript is summarized under its own tenant only.
  expect(await Promise.all(pairs.map(({ call }) => call.end()))).toEqual([204, 204]);
  for (const { tenant, other, call, lines } of pairs) {
    const summary = await waitForSummary(tenant.customerId, call.callSid);
    expect(summary).toMatchObject({ customerId: tenant.customerId, userId: callerPhone, summary: `The caller said: ${lines[0]}.` });
    expect(await withTenant(appDb, other.customerId, (tx) => tx.callSummary.findFirst({ where: { callSid: call.callSid } }))).toBeNull();
  }
});

it('plays a scripted call through the call simulator CLI against the running stack', async () => {
  const script = path.join(mkdtempSync(path.join(tmpdir(), 'e2e-sim-')), 'call.txt');
  writeFileSync(script, '# scripted caller\nI have a question about my auto policy renewal\n(hangup)\n');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--conditions=development',
      '--import',
      'tsx',
      'src/cli/call-simulator.ts',
      '--to',
      insurance.number,
      '--from',
      uniquePhone(),
      '--script',
      script,
    ],
    {
      cwd: path.join(repoRoot, 'apps', 'gateway'),
      env: {
        PATH: process.env.PATH ?? '',
        GATEWAY_URL: stack.gatewayUrl,
        PUBLIC_BASE_URL: stack.gatewayUrl,
        TWILIO_AUTH_TOKEN: stack.platformTwilioToken,
      },
      timeout: 90_000,
    },
  );
  const lines = stdout.trim().split('\n');
  // Both agent turns were spoken as audio; each shows its words, then where the audio is.
  const audioLines = lines.flatMap((line, index) => (line.startsWith('  audio: ') && line.includes('[audio/mpeg, ') ? [index] : []));
  expect(audioLines).toHaveLength(2);
  const words = audioLines.map((index) => lines[index - 1] ?? '');
  for (const line of words) expect(line).toMatch(/^agent: (?!\(words not available)/);
  // The first is the greeting, which names the business and the agent.
  expect(words[0]).toContain(insurance.markers.businessName);
  expect(words[0]).toContain(insurance.markers.agentName);
  expect(lines).toContain('caller: I have a question about my auto policy renewal');
  expect(lines).toContain('call ended by caller');
  expect(lines[lines.length - 1]).toMatch(/^status callback sent: completed, \d+ s \(gateway answered 204\)$/);
});

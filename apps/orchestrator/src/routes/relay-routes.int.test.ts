import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RelayEvent, RelayInput } from '@neurosphere/contracts';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import { asTenant, chatsFor, eventually, hasToolResults, startHarness, systemPromptOf } from '../../test/harness';
import { callStateKey } from '../domain/call-runtime/call-state';
import { PLATFORM_PHRASES, silenceOffer } from '../domain/conversation/platform-phrases';

// The relay (streaming) routes, driven over a real socket the way the gateway drives them: the
// answer arrives as newline-delimited events while the fake OpenAI streams its tokens.

const harness = useHarness(startHarness);
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  // The production first-token limit (1.5 s): shorter ones make a cold first request on a busy machine look like a slow model.
  const { app } = harness.makeApp();
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => harness.resetProviders());

async function post(customerId: number, callSid: string, path: string, body: object, signal?: AbortSignal) {
  const token = await harness.gatewaySigner.sign({ audience: 'orchestrator', customerId, callId: callSid });
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customer_id: customerId, ...body }),
    ...(signal ? { signal } : {}),
  });
}

async function startRelayCall(
  overrides: Parameters<typeof harness.createTenant>[0] = {},
  beforeStart?: (tenant: { customerId: number }, caller: string) => void,
) {
  const tenant = await harness.createTenant(overrides);
  const callSid = uniqueCallSid();
  const caller = uniquePhone();
  beforeStart?.(tenant, caller);
  const response = await post(tenant.customerId, callSid, '/v1/relay/calls/start', {
    call_sid: callSid,
    caller,
    called: tenant.phoneNumbers[0]!.e164,
  });
  expect(response.status).toBe(200);
  return { tenant, callSid, caller, session: (await response.json()) as Record<string, unknown> };
}

/** Reads events as they arrive; `stopAfter` ends the read early (the caller keeps the request open). */
async function readEvents(response: Response, stopAfter?: (events: RelayEvent[]) => boolean): Promise<RelayEvent[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('application/x-ndjson');
  const events: RelayEvent[] = [];
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buffered.slice(0, newline)) as RelayEvent);
      buffered = buffered.slice(newline + 1);
      if (stopAfter?.(events)) return events;
    }
  }
  return events;
}

const prompt = async (customerId: number, callSid: string, input: RelayInput) =>
  readEvents(await post(customerId, callSid, `/v1/relay/calls/${callSid}/prompt`, { input }));
const spokenText = (events: RelayEvent[]) => events.flatMap((event) => (event.type === 'text' ? [event.token] : [])).join('');

async function storedTurns(customerId: number, callSid: string) {
  const raw = await harness.redis.get(callStateKey(customerId, callSid));
  return (JSON.parse(raw!) as { turns: Array<{ role: string; text: string }> }).turns.map((turn) => [turn.role, turn.text]);
}

describe('relay routes', () => {
  it('starts a call with the greeting and voice, streams the answer token by token, and ends through the usual call log', async () => {
    const { tenant, callSid, session } = await startRelayCall();
    expect(session).toEqual({
      customer_id: tenant.customerId,
      welcome_greeting: `Thanks for calling test business ${tenant.template.industry.replace('orch-test-', '')}, this is ${tenant.customer.agentName}.`,
      voice_id: tenant.customer.voiceId,
      // Recognition expects the same words as on the gather path.
      hints: [tenant.customer.businessName, tenant.customer.agentName],
    });
    const setup = await post(tenant.customerId, callSid, `/v1/relay/calls/${callSid}/setup`, { session_id: 'VX123' });
    expect(setup.status).toBe(200);

    harness.openai.respondWith(() => ({ content: 'Sure, I can help with that.', tokenDelayMs: 5 }));
    const events = await prompt(tenant.customerId, callSid, { type: 'speech', text: 'I need help with my account' });

    expect(events).toEqual([
      { type: 'text', token: 'Sure,', last: false },
      { type: 'text', token: ' I', last: false },
      { type: 'text', token: ' can', last: false },
      { type: 'text', token: ' help', last: false },
      { type: 'text', token: ' with', last: false },
      { type: 'text', token: ' that.', last: false },
      { type: 'text', token: '', last: true },
    ]);
    const [chat] = harness.openai.chatRequests().filter((request) => JSON.stringify(request.messages).includes(tenant.customer.agentName));
    expect(chat).toEqual(expect.objectContaining({ stream: true, stream_options: { include_usage: true } }));

    const ended = await post(tenant.customerId, callSid, `/v1/calls/${callSid}/end`, { status: 'completed', duration_seconds: 30 });
    expect(ended.status).toBe(202);
    const call = await asTenant(harness.db, tenant.customerId, (tx) =>
      tx.call.findUnique({
        where: { customerId_callSid: { customerId: tenant.customerId, callSid } },
        include: { turns: { orderBy: { turnIndex: 'asc' } } },
      }),
    );
    expect(call?.turns.map((turn) => [turn.role, turn.text])).toEqual([
      ['assistant', session.welcome_greeting],
      ['user', 'I need help with my account'],
      ['assistant', 'Sure, I can help with that.'],
    ]);
    expect(call?.turns[2]?.llmMs).toEqual(expect.any(Number));
    await eventually(async () =>
      harness.memory.processCallRequests().some((request) => request.body.call_sid === callSid) ? true : undefined,
    );
  });

  it('keeps only what the caller heard when the caller interrupts, and the model stops', async () => {
    const { tenant, callSid } = await startRelayCall();
    harness.openai.respondWith(() => ({ content: 'Our office hours are nine to five on weekdays.', stallAfterTokens: 3 }));
    const controller = new AbortController();
    const response = await post(
      tenant.customerId,
      callSid,
      `/v1/relay/calls/${callSid}/prompt`,
      { input: { type: 'speech', text: 'When are you open?' } },
      controller.signal,
    );
    const heard = await readEvents(response, (events) => events.length === 3);
    expect(spokenText(heard)).toBe('Our office hours');
    controller.abort();

    const interrupted = await post(tenant.customerId, callSid, `/v1/relay/calls/${callSid}/interrupt`, {
      utterance_until_interrupt: 'Our office',
    });
    expect(interrupted.status).toBe(200);
    expect((await storedTurns(tenant.customerId, callSid)).slice(1)).toEqual([
      ['caller', 'When are you open?'],
      ['agent', 'Our office'],
      ['system', 'The caller interrupted the agent.'],
    ]);

    harness.openai.respondWith(() => ({ content: 'We open at nine.' }));
    expect(spokenText(await prompt(tenant.customerId, callSid, { type: 'speech', text: 'Sorry, go on' }))).toBe('We open at nine.');
    const chats = harness.openai.chatRequests().filter((request) => JSON.stringify(request.messages).includes('Sorry, go on'));
    expect(chats[0]?.messages.slice(-4)).toEqual([
      { role: 'user', content: 'When are you open?' },
      { role: 'assistant', content: 'Our office' },
      { role: 'system', content: 'The caller interrupted the agent.' },
      { role: 'user', content: 'Sorry, go on' },
    ]);
  });

  it('ends the session with a transfer handoff when the model transfers, and on DTMF 0', async () => {
    const transferNumber = uniquePhone();
    const { tenant, callSid } = await startRelayCall({ transferNumber });
    harness.openai.respondWith(() => ({
      toolCalls: [{ name: 'transfer_to_human', arguments: { reason: 'asked for a person', caller_name: null } }],
    }));
    const events = await prompt(tenant.customerId, callSid, { type: 'speech', text: 'A person please' });
    expect(events.slice(0, 2)).toEqual([
      { type: 'text', token: PLATFORM_PHRASES.transferring, last: false },
      { type: 'text', token: '', last: true },
    ]);
    // The gather path's <Dial>: the tenant's number for now, ringing from the business's number, with a whisper.
    expect(events[2]).toEqual({
      type: 'end',
      handoff: {
        reason: 'transfer',
        transfer: {
          type: 'transfer',
          number: transferNumber,
          timeout_seconds: expect.any(Number),
          caller_id: tenant.phoneNumbers[0]!.e164,
          whisper: expect.objectContaining({ text: expect.stringContaining('asked for a person') }),
        },
      },
    });
    expect(events).toHaveLength(3);

    const second = await startRelayCall({ transferNumber });
    const before = harness.openai.chatRequests().length;
    expect((await prompt(second.tenant.customerId, second.callSid, { type: 'dtmf', digit: '0' })).at(-1)).toMatchObject({
      type: 'end',
      handoff: { reason: 'transfer', transfer: { number: transferNumber, whisper: { text: expect.stringContaining('keypad') } } },
    });
    expect(harness.openai.chatRequests()).toHaveLength(before);
  });

  it('passes other keys to the model, and hangs up after end_call', async () => {
    const { tenant, callSid } = await startRelayCall();
    harness.openai.respondWith((request) =>
      JSON.stringify(request.messages).includes('(pressed 2 on the keypad)') ? { content: 'You chose option two.' } : { content: 'no' },
    );
    expect(spokenText(await prompt(tenant.customerId, callSid, { type: 'dtmf', digit: '2' }))).toBe('You chose option two.');

    harness.openai.respondWith(() => ({ toolCalls: [{ name: 'end_call', arguments: { closing_line: null } }] }));
    const events = await prompt(tenant.customerId, callSid, { type: 'speech', text: 'That is all, bye' });
    expect(spokenText(events)).toBe(PLATFORM_PHRASES.goodbye);
    expect(events.at(-1)).toEqual({ type: 'end', handoff: { reason: 'hangup' } });
  });

  it("keeps the caller's memory locked until verify_caller matches inside a streamed turn", async () => {
    const memory = 'Caller: Dana Whitfield | Springfield\nOpen claim for the hail damage.';
    const { tenant, callSid } = await startRelayCall({}, (owner, caller) =>
      harness.memory.setContext(owner.customerId, caller, memory, { name: 'Dana Whitfield', facts: { city: 'Springfield' } }),
    );
    harness.openai.respondWith(() => ({ content: 'Can I have your name?' }));
    await prompt(tenant.customerId, callSid, { type: 'speech', text: 'What do you have on file for me?' });
    const locked = chatsFor(harness, tenant.customer.agentName).at(-1)!;
    expect(systemPromptOf(locked)).toContain('This phone number has called before.');
    for (const secret of ['Dana', 'Springfield', 'hail']) expect(JSON.stringify(locked)).not.toContain(secret);
    expect(locked.tools?.map((tool) => tool.function.name)).toContain('verify_caller');

    harness.openai.respondWith((chat) =>
      hasToolResults(chat)
        ? { content: 'Thank you, Dana. I see your open claim.' }
        : { toolCalls: [{ name: 'verify_caller', arguments: { full_name: 'dana whitfield', detail: 'I live in Springfield' } }] },
    );
    expect(spokenText(await prompt(tenant.customerId, callSid, { type: 'speech', text: 'Dana Whitfield, Springfield' }))).toBe(
      'Thank you, Dana. I see your open claim.',
    );
    // The sentence after the tool already sees the memory (the prompt is rebuilt from the state the tool left).
    const unlocked = chatsFor(harness, tenant.customer.agentName).at(-1)!;
    expect(systemPromptOf(unlocked)).toContain('The caller has been verified.');
    expect(systemPromptOf(unlocked)).toContain('Open claim for the hail damage.');
  });

  it('answers a withheld number as a stranger, without asking memory', async () => {
    const tenant = await harness.createTenant();
    const callSid = uniqueCallSid();
    const memoryAsked = harness.memory.requests.length;
    const started = await post(tenant.customerId, callSid, '/v1/relay/calls/start', {
      call_sid: callSid,
      caller: null,
      called: tenant.phoneNumbers[0]!.e164,
    });
    expect(started.status).toBe(200);
    expect(harness.memory.requests).toHaveLength(memoryAsked);

    harness.openai.respondWith(() => ({ content: 'We open at nine.' }));
    expect(spokenText(await prompt(tenant.customerId, callSid, { type: 'speech', text: 'When do you open?' }))).toBe('We open at nine.');
    const chat = chatsFor(harness, tenant.customer.agentName).at(-1)!;
    expect(systemPromptOf(chat)).toContain('The caller has withheld their number');
    expect(chat.tools?.map((tool) => tool.function.name)).not.toContain('send_sms');
  });

  it('takes a message with the tool inside a streamed turn, then streams the follow-up', async () => {
    const { tenant, callSid } = await startRelayCall();
    harness.openai.respondWith((request) =>
      request.tool_choice === 'none'
        ? { content: 'I have passed that on.' }
        : { toolCalls: [{ name: 'take_message', arguments: { caller_name: 'Robin', message: 'Please call me back about the roof.' } }] },
    );
    const events = await prompt(tenant.customerId, callSid, { type: 'speech', text: 'Tell them Robin called about the roof' });
    expect(spokenText(events)).toBe('I have passed that on.');
    expect(events.at(-1)).toEqual({ type: 'text', token: '', last: true });
    const messages = await asTenant(harness.db, tenant.customerId, (tx) => tx.callMessage.findMany({ where: { callSid } }));
    expect(messages.map((message) => [message.kind, message.callerName, message.message])).toEqual([
      ['message', 'Robin', 'Please call me back about the roof.'],
    ]);
  });

  it.each([
    ['answers 500', { reply: { status: 500, body: { error: { message: 'down' } } } }],
    ['sends no first token in time', { reply: { hang: true } }],
  ])('speaks the fallback and offers to take a message when OpenAI %s, then takes it', async (_case, answer) => {
    const { tenant, callSid } = await startRelayCall();
    harness.openai.respondWith(() => answer);
    expect(spokenText(await prompt(tenant.customerId, callSid, { type: 'speech', text: 'Hello?' }))).toBe(
      PLATFORM_PHRASES.offerMessageAfterFailure,
    );

    const events = await prompt(tenant.customerId, callSid, { type: 'speech', text: 'This is Sam, call me back' });
    expect(spokenText(events)).toBe(PLATFORM_PHRASES.messageTakenGoodbye);
    expect(events.at(-1)).toEqual({ type: 'end', handoff: { reason: 'hangup' } });
    const messages = await asTenant(harness.db, tenant.customerId, (tx) => tx.callMessage.findMany({ where: { callSid } }));
    expect(messages.map((message) => message.message)).toEqual(['This is Sam, call me back']);
  });

  it('re-prompts once on silence, then offers to take a message, as the gather path does', async () => {
    const { tenant, callSid } = await startRelayCall();
    expect(spokenText(await prompt(tenant.customerId, callSid, { type: 'silence' }))).toBe(PLATFORM_PHRASES.silenceReprompt);
    // No transfer number: the offer is a message (key 1, or just saying it).
    expect(spokenText(await prompt(tenant.customerId, callSid, { type: 'silence' }))).toBe(silenceOffer(false));
    expect(spokenText(await prompt(tenant.customerId, callSid, { type: 'dtmf', digit: '1' }))).toBe(PLATFORM_PHRASES.takingMessage);
  });

  it("answers 404 for a call that does not exist and refuses another tenant's call", async () => {
    const { callSid } = await startRelayCall();
    const other = await harness.createTenant();
    const unknown = await post(other.customerId, uniqueCallSid(), `/v1/relay/calls/${uniqueCallSid()}/setup`, { session_id: 'VX1' });
    expect(unknown.status).toBe(403);
    const missing = uniqueCallSid();
    const notFound = await post(other.customerId, missing, `/v1/relay/calls/${missing}/prompt`, { input: { type: 'speech', text: 'hi' } });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual(expect.objectContaining({ success: false, code: 'NOT_FOUND' }));
    const foreign = await post(other.customerId, callSid, `/v1/relay/calls/${callSid}/prompt`, { input: { type: 'speech', text: 'hi' } });
    expect(foreign.status).toBe(404);
    const invalid = await post(other.customerId, missing, `/v1/relay/calls/${missing}/prompt`, { input: { type: 'dtmf', digit: '12' } });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: [{ path: 'body.input.digit', message: 'digit must be one key: 0-9, * or #' }],
      }),
    );
  });

  it('refuses a service that is not a caller of the relay routes', async () => {
    const { tenant, callSid } = await startRelayCall();
    const token = await harness.adminApiSigner.sign({ audience: 'orchestrator', customerId: tenant.customerId, callId: callSid });
    const chatsBefore = harness.openai.chatRequests().length;
    const refused = await fetch(`${baseUrl}/v1/relay/calls/${callSid}/prompt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ customer_id: tenant.customerId, input: { type: 'speech', text: 'hi' } }),
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual(
      expect.objectContaining({
        success: false,
        code: 'FORBIDDEN',
        error: 'Service admin-api may not call POST /v1/relay/calls/:callSid/prompt',
      }),
    );
    expect(harness.openai.chatRequests()).toHaveLength(chatsBefore);
  });
});

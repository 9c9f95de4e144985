import { decodeSpeechTextHeader } from '@neurosphere/contracts';
import type { CallInstructions } from '@neurosphere/contracts';
import { uniqueCallSid } from '@neurosphere/db/testing';
import { fakeAudioFor } from '@neurosphere/testing';
import type { ChatRequest } from '@neurosphere/testing';
import request from 'supertest';
import { asTenant, createHarness, eventually, GatewayClient, uniquePhone } from '../../test/harness';
import type { Harness } from '../../test/harness';
import { audioTokenKey, newAudioToken } from '../domain/call-runtime/audio-store';

function systemPromptOf(chat: ChatRequest): string {
  const first = chat.messages[0];
  return first?.role === 'system' && typeof first.content === 'string' ? first.content : '';
}

/** The chat requests whose system prompt belongs to this tenant's agent. */
function chatsFor(harness: Harness, agentName: string): ChatRequest[] {
  return harness.openai.chatRequests().filter((chat) => systemPromptOf(chat).includes(`You are ${agentName},`));
}

function hasToolResults(chat: ChatRequest): boolean {
  return chat.messages.some((message) => message.role === 'tool');
}

describe('call routes', () => {
  let harness: Harness;
  let gateway: GatewayClient;

  beforeAll(async () => {
    harness = await createHarness();
    gateway = new GatewayClient(harness.makeApp().app, harness.gatewaySigner);
  });
  afterAll(async () => {
    await harness.close();
  });
  beforeEach(() => {
    harness.openai.respondWith(() => ({ content: 'How can I help you today?' }));
    harness.elevenlabs.failWith(undefined);
  });

  describe('start', () => {
    it("greets in the tenant's words and voice, with audio served by its token", async () => {
      const tenant = await harness.createTenant({ speechTimeoutSeconds: 7 });
      const { response, caller } = await gateway.start({ customerId: tenant.customerId });

      expect(response.status).toBe(200);
      const greeting = tenant.customer.greeting.replace('{{agent_name}}', tenant.customer.agentName);
      expect(greeting).toContain(tenant.customer.agentName);
      expect(response.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), text: greeting }],
        next: { type: 'gather', speech_timeout_seconds: 7 },
      });
      expect(harness.elevenlabs.ttsRequests()).toContainEqual({
        voiceId: tenant.customer.voiceId,
        text: greeting,
        modelId: 'test-tts-model',
      });
      const enriched = harness.memory.requests.filter((r) => r.path === '/v2/context/enriched').at(-1);
      expect(enriched?.body).toEqual({ customer_id: tenant.customerId, user_id: caller });

      const audio = await request(harness.makeApp().app).get(`/v1/audio/${response.body.speak[0].audio_token}`).buffer(true);
      expect(audio.status).toBe(200);
      expect(audio.headers['content-type']).toBe('audio/mpeg');
      expect(Buffer.from(audio.body as Buffer)).toEqual(fakeAudioFor(tenant.customer.voiceId!, greeting));
      expect(audio.headers['x-speech-text']).toBe(encodeURIComponent(greeting));
      expect(decodeSpeechTextHeader(audio.headers['x-speech-text'] as string)).toBe(greeting);
    });

    it('reuses the cached greeting audio: a second call makes no new ElevenLabs request', async () => {
      const tenant = await harness.createTenant();
      const first = await gateway.start({ customerId: tenant.customerId });
      const requestsAfterFirst = harness.elevenlabs.ttsRequests().filter((r) => r.voiceId === tenant.customer.voiceId).length;
      const second = await gateway.start({ customerId: tenant.customerId });

      expect(requestsAfterFirst).toBe(1);
      expect(harness.elevenlabs.ttsRequests().filter((r) => r.voiceId === tenant.customer.voiceId)).toHaveLength(1);
      expect(second.response.body.speak[0]).toEqual(first.response.body.speak[0]);
    });

    it('answers with <Say> text when the tenant has no voice configured (not a failure)', async () => {
      const tenant = await harness.createTenant({ voiceId: null });
      const { response } = await gateway.start({ customerId: tenant.customerId });
      expect(response.body.speak).toEqual([{ type: 'say', text: expect.stringContaining(tenant.customer.agentName) }]);
    });
  });

  describe('turn', () => {
    it("asks OpenAI with the tenant's prompt (template fragments and caller context) and model", async () => {
      const tenant = await harness.createTenant({ openaiModel: 'tenant-model-x', personality: 'Calm and exact.' });
      const caller = uniquePhone();
      harness.memory.setContext(tenant.customerId, caller, 'Caller name: Robin. Lives in Springfield.');
      const { callSid } = await gateway.start({ customerId: tenant.customerId, caller });
      harness.openai.respondWith(() => ({ content: 'Of course, Robin. What would you like to change?' }));

      const response = await gateway.turn(tenant.customerId, callSid, 'I want to update my address');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.any(String), text: 'Of course, Robin. What would you like to change?' }],
        next: { type: 'gather', speech_timeout_seconds: tenant.customer.speechTimeoutSeconds },
      });
      const [chat] = chatsFor(harness, tenant.customer.agentName);
      expect(chat?.model).toBe('tenant-model-x');
      const prompt = systemPromptOf(chat!);
      expect(prompt).toContain(`You are ${tenant.customer.agentName}, answering the phone for ${tenant.customer.businessName}.`);
      expect(prompt).toContain(tenant.template.role);
      expect(prompt).toContain(tenant.template.guideline);
      expect(prompt).toContain('Your personality: Calm and exact.');
      expect(prompt).toContain(`${tenant.template.knownFactsIntro}\nCaller name: Robin. Lives in Springfield.`);
      expect(chat?.messages.slice(1)).toEqual([
        { role: 'assistant', content: expect.stringContaining(tenant.customer.agentName) },
        { role: 'user', content: 'I want to update my address' },
      ]);
      expect(chat?.tools?.map((tool) => tool.function.name)).toEqual(['take_message', 'request_callback', 'send_sms', 'end_call']);
    });

    it('uses the platform default model when the tenant chose none, and offers transfer only with a number', async () => {
      const tenant = await harness.createTenant({ openaiModel: null, transferNumber: uniquePhone() });
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      await gateway.turn(tenant.customerId, callSid, 'Hello?');
      const [chat] = chatsFor(harness, tenant.customer.agentName);
      expect(chat?.model).toBe('platform-default-model');
      expect(chat?.tools?.map((tool) => tool.function.name)).toContain('transfer_to_human');
    });

    it("transfer_to_human dials the tenant's transfer number", async () => {
      const transferNumber = uniquePhone();
      const tenant = await harness.createTenant({ transferNumber });
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      harness.openai.respondWith(() => ({ toolCalls: [{ name: 'transfer_to_human', arguments: { reason: 'wants a person' } }] }));

      const response = await gateway.turn(tenant.customerId, callSid, 'Can I talk to a real person?');

      expect(response.status).toBe(200);
      expect(response.body.next).toEqual({ type: 'transfer', number: transferNumber });
      expect(response.body.speak).toEqual([{ type: 'play', audio_token: expect.any(String), text: 'One moment while I connect you.' }]);
    });

    it('take_message stores the message for the tenant and the model confirms it', async () => {
      const tenant = await harness.createTenant();
      const caller = uniquePhone();
      const { callSid } = await gateway.start({ customerId: tenant.customerId, caller });
      harness.openai.respondWith((chat) =>
        hasToolResults(chat)
          ? { content: 'I have passed that on. Anything else?' }
          : { toolCalls: [{ name: 'take_message', arguments: { message: 'Please call about the invoice', caller_name: 'Sam' } }] },
      );

      const response = await gateway.turn(tenant.customerId, callSid, 'Tell them Sam called about the invoice');

      expect(response.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.any(String), text: 'I have passed that on. Anything else?' }],
        next: { type: 'gather', speech_timeout_seconds: tenant.customer.speechTimeoutSeconds },
      });
      const messages = await asTenant(harness.db, tenant.customerId, (tx) => tx.callMessage.findMany({ where: { callSid } }));
      expect(messages).toEqual([
        expect.objectContaining({
          customerId: tenant.customerId,
          kind: 'message',
          callerNumber: caller,
          callerName: 'Sam',
          message: 'Please call about the invoice',
          status: 'new',
        }),
      ]);
      const followUp = chatsFor(harness, tenant.customer.agentName).find(hasToolResults);
      expect(followUp?.tool_choice).toBe('none');
      expect(followUp?.messages.at(-1)).toEqual(expect.objectContaining({ role: 'tool', content: '{"ok":true}' }));
    });

    it('request_callback stores a callback request with the time the caller gave', async () => {
      const tenant = await harness.createTenant();
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      harness.openai.respondWith((chat) =>
        hasToolResults(chat)
          ? { content: 'Someone will call you back tomorrow afternoon.' }
          : {
              toolCalls: [
                { name: 'request_callback', arguments: { reason: 'Question about coverage', callback_time: 'tomorrow after 3' } },
              ],
            },
      );

      await gateway.turn(tenant.customerId, callSid, 'Can someone call me back tomorrow after 3?');

      const messages = await asTenant(harness.db, tenant.customerId, (tx) => tx.callMessage.findMany({ where: { callSid } }));
      expect(messages).toEqual([
        expect.objectContaining({ kind: 'callback', message: 'Question about coverage', callbackTime: 'tomorrow after 3' }),
      ]);
    });

    it("send_sms texts the caller's own number through the sms service, idempotent per call and tool call", async () => {
      const tenant = await harness.createTenant();
      const caller = uniquePhone();
      const { callSid } = await gateway.start({ customerId: tenant.customerId, caller });
      harness.openai.respondWith((chat) =>
        hasToolResults(chat)
          ? { content: 'I just sent you a text with the address.' }
          : { toolCalls: [{ name: 'send_sms', arguments: { message: 'Our address is 1 Test Street.' } }] },
      );

      const response = await gateway.turn(tenant.customerId, callSid, 'Can you text me your address?');

      expect(response.body.speak[0].text).toBe('I just sent you a text with the address.');
      const sent = harness.sms.requests.filter((r) => r.path === '/v1/messages' && (r.body as { call_sid?: string }).call_sid === callSid);
      expect(sent).toHaveLength(1);
      const toolCallId = (chatsFor(harness, tenant.customer.agentName).find(hasToolResults)?.messages.at(-1)?.tool_call_id ?? '') as string;
      expect(sent[0]?.body).toEqual({
        to: caller,
        body: 'Our address is 1 Test Street.',
        idempotency_key: `${callSid}:${toolCallId}`,
        call_sid: callSid,
      });
      expect(toolCallId).toMatch(/^call_/);
    });

    it('end_call says the closing line and hangs up', async () => {
      const tenant = await harness.createTenant();
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      harness.openai.respondWith(() => ({ toolCalls: [{ name: 'end_call', arguments: { closing_line: 'Thanks for calling, bye now.' } }] }));

      const response = await gateway.turn(tenant.customerId, callSid, "That's all, bye");

      expect(response.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.any(String), text: 'Thanks for calling, bye now.' }],
        next: { type: 'hangup' },
      });
    });

    it('feeds invalid tool arguments back to the model instead of acting on them', async () => {
      const tenant = await harness.createTenant();
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      harness.openai.respondWith((chat) =>
        hasToolResults(chat) ? { content: 'What message should I pass on?' } : { toolCalls: [{ name: 'take_message', arguments: { message: '' } }] },
      );

      const response = await gateway.turn(tenant.customerId, callSid, 'Take a message');

      expect(response.body.speak[0].text).toBe('What message should I pass on?');
      const toolResult = chatsFor(harness, tenant.customer.agentName).find(hasToolResults)?.messages.at(-1);
      expect(JSON.parse(String(toolResult?.content))).toEqual({ ok: false, error: 'invalid arguments: message: message is required' });
      const messages = await asTenant(harness.db, tenant.customerId, (tx) => tx.callMessage.count({ where: { callSid } }));
      expect(messages).toBe(0);
    });

    it('silence gets one re-prompt, then a polite goodbye and a hang-up', async () => {
      const tenant = await harness.createTenant({ speechTimeoutSeconds: 4 });
      const { callSid } = await gateway.start({ customerId: tenant.customerId });

      const first = await gateway.turn(tenant.customerId, callSid, null);
      const second = await gateway.turn(tenant.customerId, callSid, null);

      expect(first.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.any(String), text: "Sorry, I didn't catch that. Are you still there?" }],
        next: { type: 'gather', speech_timeout_seconds: 4 },
      });
      expect(second.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.any(String), text: "I'm sorry, I can't hear you. Please call back any time. Goodbye." }],
        next: { type: 'hangup' },
      });
      expect(chatsFor(harness, tenant.customer.agentName)).toHaveLength(0);
    });

    it('speech between silences resets the count', async () => {
      const tenant = await harness.createTenant();
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      await gateway.turn(tenant.customerId, callSid, null);
      await gateway.turn(tenant.customerId, callSid, 'Sorry, I am here');
      const again = await gateway.turn(tenant.customerId, callSid, null);
      expect(again.body.next.type).toBe('gather');
    });

    it('answers 404 for a call that never started', async () => {
      const tenant = await harness.createTenant();
      const callSid = uniqueCallSid();
      const response = await gateway.turn(tenant.customerId, callSid, 'hello');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        success: false,
        error: `Call ${callSid} not found (it never started here, or it expired)`,
        code: 'NOT_FOUND',
      });
    });
  });

  describe('audio', () => {
    it('serves audio until its TTL passes, then 404', async () => {
      const { app } = harness.makeApp({ env: { AUDIO_TTL_SECONDS: '1' } });
      const shortLived = new GatewayClient(app, harness.gatewaySigner);
      const tenant = await harness.createTenant();
      const { response } = await shortLived.start({ customerId: tenant.customerId });
      const token = response.body.speak[0].audio_token as string;

      expect((await request(app).get(`/v1/audio/${token}`)).status).toBe(200);
      const expired = await eventually(async () => {
        const fetched = await request(app).get(`/v1/audio/${token}`);
        return fetched.status === 404 ? fetched : undefined;
      });
      expect(expired.body).toEqual({ success: false, error: 'Audio not found or expired', code: 'NOT_FOUND' });
    });

    it('serves audio stored without its words with no X-Speech-Text header', async () => {
      const token = newAudioToken();
      await harness.redis.set(audioTokenKey(token), Buffer.from('old mp3'), 'EX', 60);
      const audio = await request(harness.makeApp().app).get(`/v1/audio/${token}`).buffer(true);
      expect(audio.status).toBe(200);
      expect(Buffer.from(audio.body as Buffer)).toEqual(Buffer.from('old mp3'));
      expect(audio.headers).not.toHaveProperty('x-speech-text');
    });
  });

  describe('end', () => {
    it('saves the call, its turns with timings and usage, and posts the transcript to memory once', async () => {
      const tenant = await harness.createTenant();
      const caller = uniquePhone();
      const called = tenant.phoneNumbers[0]!.e164;
      const { callSid } = await gateway.start({ customerId: tenant.customerId, caller, called });
      harness.openai.respondWith(() => ({ content: 'Sure, I can help with that.' }));
      await gateway.turn(tenant.customerId, callSid, 'I need help with my account');

      const ended = await gateway.end(tenant.customerId, callSid, 'completed', 95);
      expect(ended.status).toBe(202);
      expect(ended.body).toEqual({ success: true });

      const call = await asTenant(harness.db, tenant.customerId, (tx) =>
        tx.call.findUnique({
          where: { customerId_callSid: { customerId: tenant.customerId, callSid } },
          include: { turns: { orderBy: { turnIndex: 'asc' } } },
        }),
      );
      expect(call).toEqual(
        expect.objectContaining({
          fromNumber: caller,
          toNumber: called,
          status: 'completed',
          durationSeconds: 95,
          outcome: 'completed',
          transcriptSubmittedAt: expect.any(Date),
        }),
      );
      expect(call?.turns.map((turn) => [turn.turnIndex, turn.role, turn.text])).toEqual([
        [0, 'assistant', expect.stringContaining(tenant.customer.agentName)],
        [1, 'user', 'I need help with my account'],
        [2, 'assistant', 'Sure, I can help with that.'],
      ]);
      const [greeting, , answer] = call!.turns;
      expect(greeting).toEqual(expect.objectContaining({ llmMs: null, ttsMs: expect.any(Number), totalMs: expect.any(Number) }));
      expect(answer).toEqual(expect.objectContaining({ llmMs: expect.any(Number), ttsMs: expect.any(Number), totalMs: expect.any(Number) }));
      expect(answer!.totalMs!).toBeGreaterThanOrEqual(answer!.llmMs!);

      const usage = await asTenant(harness.db, tenant.customerId, (tx) => tx.usageRecord.findMany({ where: { callSid }, orderBy: { kind: 'asc' } }));
      expect(usage.map((record) => [record.kind, record.quantity.toString()])).toEqual([
        ['call_minutes', '1.5833'],
        ['llm_tokens', '20'],
        ['tts_chars', String(call!.turns[0]!.text.length + 'Sure, I can help with that.'.length)],
      ]);

      const posted = harness.memory.processCallRequests().filter((r) => r.body.call_sid === callSid);
      expect(posted).toEqual([
        {
          customerId: tenant.customerId,
          body: {
            customer_id: tenant.customerId,
            user_id: caller,
            thread_id: `customer_${tenant.customerId}_user_${caller.slice(1)}`,
            call_sid: callSid,
            conversation_history: [
              { role: 'agent', text: call!.turns[0]!.text, at: expect.any(String) },
              { role: 'caller', text: 'I need help with my account', at: expect.any(String) },
              { role: 'agent', text: 'Sure, I can help with that.', at: expect.any(String) },
            ],
          },
        },
      ]);

      // Twilio retries the status callback: nothing is written or posted twice.
      const repeated = await gateway.end(tenant.customerId, callSid, 'completed', 95);
      expect(repeated.status).toBe(202);
      const counts = await asTenant(harness.db, tenant.customerId, async (tx) => ({
        calls: await tx.call.count({ where: { callSid } }),
        turns: await tx.callTurn.count({ where: { callId: call!.id } }),
        usage: await tx.usageRecord.count({ where: { callSid } }),
      }));
      expect(counts).toEqual({ calls: 1, turns: 3, usage: 3 });
      expect(harness.memory.processCallRequests().filter((r) => r.body.call_sid === callSid)).toHaveLength(1);
      // The call state is gone with the call.
      expect((await gateway.turn(tenant.customerId, callSid, 'Hello?')).status).toBe(404);
    });

    it('records the outcome of tools and does not submit a call where the caller never spoke', async () => {
      const tenant = await harness.createTenant();
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      await gateway.end(tenant.customerId, callSid, 'no-answer', 0);

      const call = await asTenant(harness.db, tenant.customerId, (tx) =>
        tx.call.findUnique({ where: { customerId_callSid: { customerId: tenant.customerId, callSid } } }),
      );
      expect(call).toEqual(expect.objectContaining({ status: 'no-answer', outcome: 'abandoned', transcriptSubmittedAt: null }));
      expect(harness.memory.processCallRequests().filter((r) => r.body.call_sid === callSid)).toHaveLength(0);
    });

    it('ignores a status that is not final', async () => {
      const tenant = await harness.createTenant();
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      expect((await gateway.end(tenant.customerId, callSid, 'in-progress')).status).toBe(202);
      const calls = await asTenant(harness.db, tenant.customerId, (tx) => tx.call.count({ where: { callSid } }));
      expect(calls).toBe(0);
      // The call goes on.
      expect((await gateway.turn(tenant.customerId, callSid, 'still here')).status).toBe(200);
    });
  });

  describe('tenants', () => {
    it("keeps two tenants' concurrent calls from the same caller apart", async () => {
      const [tenantA, tenantB] = await Promise.all([
        harness.createTenant({ openaiModel: 'model-a' }),
        harness.createTenant({ openaiModel: 'model-b' }),
      ]);
      const caller = uniquePhone();
      harness.memory.setContext(tenantA.customerId, caller, 'Context only tenant A knows.');
      harness.memory.setContext(tenantB.customerId, caller, 'Context only tenant B knows.');
      harness.openai.respondWith((chat) => {
        const prompt = systemPromptOf(chat);
        const agent = [tenantA, tenantB].find((t) => prompt.includes(`You are ${t.customer.agentName},`));
        return { content: `This is ${agent?.customer.agentName ?? 'nobody'} speaking.` };
      });

      const [callA, callB] = await Promise.all([
        gateway.start({ customerId: tenantA.customerId, caller, called: tenantA.phoneNumbers[0]!.e164 }),
        gateway.start({ customerId: tenantB.customerId, caller, called: tenantB.phoneNumbers[0]!.e164 }),
      ]);
      const turns: Array<[CallInstructions, CallInstructions]> = [];
      for (const words of ['Hello', 'What do you know about me?']) {
        const [a, b] = await Promise.all([
          gateway.turn(tenantA.customerId, callA.callSid, `${words} (A)`),
          gateway.turn(tenantB.customerId, callB.callSid, `${words} (B)`),
        ]);
        turns.push([a.body, b.body]);
      }

      expect(callA.response.body.speak[0].text).toContain(tenantA.customer.agentName);
      expect(callB.response.body.speak[0].text).toContain(tenantB.customer.agentName);
      for (const [a, b] of turns) {
        expect(a.speak[0]?.text).toBe(`This is ${tenantA.customer.agentName} speaking.`);
        expect(b.speak[0]?.text).toBe(`This is ${tenantB.customer.agentName} speaking.`);
      }
      const voices = harness.elevenlabs.ttsRequests();
      expect(voices.filter((r) => r.text.includes(tenantA.customer.agentName)).every((r) => r.voiceId === tenantA.customer.voiceId)).toBe(true);
      expect(voices.filter((r) => r.text.includes(tenantB.customer.agentName)).every((r) => r.voiceId === tenantB.customer.voiceId)).toBe(true);

      const chatsA = chatsFor(harness, tenantA.customer.agentName);
      const chatsB = chatsFor(harness, tenantB.customer.agentName);
      expect(chatsA).toHaveLength(2);
      expect(chatsB).toHaveLength(2);
      for (const chat of chatsA) {
        expect(chat.model).toBe('model-a');
        expect(JSON.stringify(chat)).toContain('Context only tenant A knows.');
        expect(JSON.stringify(chat)).not.toMatch(/tenant B knows|\(B\)/);
      }
      for (const chat of chatsB) {
        expect(chat.model).toBe('model-b');
        expect(JSON.stringify(chat)).toContain('Context only tenant B knows.');
        expect(JSON.stringify(chat)).not.toMatch(/tenant A knows|\(A\)/);
      }

      // Tenant B's token never reaches tenant A's call, even knowing its CallSid.
      const crossed = await gateway.turn(tenantB.customerId, callA.callSid, 'Hijack');
      expect(crossed.status).toBe(404);

      await Promise.all([gateway.end(tenantA.customerId, callA.callSid), gateway.end(tenantB.customerId, callB.callSid)]);
      const postedA = harness.memory.processCallRequests().find((r) => r.body.call_sid === callA.callSid);
      const postedB = harness.memory.processCallRequests().find((r) => r.body.call_sid === callB.callSid);
      expect(postedA?.customerId).toBe(tenantA.customerId);
      expect(postedB?.customerId).toBe(tenantB.customerId);
      expect(JSON.stringify(postedA?.body)).not.toContain('(B)');
      expect(JSON.stringify(postedB?.body)).not.toContain('(A)');
      const logA = await asTenant(harness.db, tenantA.customerId, (tx) => tx.call.findMany({ where: { callSid: { in: [callA.callSid, callB.callSid] } } }));
      expect(logA.map((call) => call.callSid)).toEqual([callA.callSid]);
    });

    it("uses the tenant's own OpenAI and ElevenLabs keys when it brought them (BYOK)", async () => {
      const tenant = await harness.createTenant();
      await harness.addTenantCredential(tenant.customerId, 'openai', 'tenant-openai-secret');
      await harness.addTenantCredential(tenant.customerId, 'elevenlabs', 'tenant-elevenlabs-secret');
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      await gateway.turn(tenant.customerId, callSid, 'Hi there');

      const chat = harness.openai.requests.find((r) => JSON.stringify(r.body).includes(`You are ${tenant.customer.agentName},`));
      expect(chat?.headers.authorization).toBe('Bearer tenant-openai-secret');
      const tts = harness.elevenlabs.requests.filter((r) => r.path === `/v1/text-to-speech/${tenant.customer.voiceId}`);
      expect(tts.length).toBeGreaterThan(0);
      expect(tts.every((r) => r.headers['xi-api-key'] === 'tenant-elevenlabs-secret')).toBe(true);
    });
  });
});

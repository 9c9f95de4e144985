import { uniqueCallSid, uniquePhone } from '@neurosphere/testing';
import { asTenant, chatsFor, gatherFor, hasToolResults, systemPromptOf, useCallRoutes } from '../../test/harness';

// POST /v1/calls/:callSid/turn: the model's answer with the tenant's prompt, and each tool it may call.

describe('call routes', () => {
  const { harness, gateway } = useCallRoutes();

  describe('turn', () => {
    it("asks OpenAI with the tenant's prompt (template fragments and caller context) and model", async () => {
      // A tenant that lets the number alone unlock the caller's memory (verification is tested in call-quality).
      const tenant = await harness.createTenant({
        openaiModel: 'tenant-model-x',
        personality: 'Calm and exact.',
        callerVerification: 'none',
      });
      const caller = uniquePhone();
      harness.memory.setContext(tenant.customerId, caller, 'Caller name: Robin. Lives in Springfield.');
      const { callSid } = await gateway.start({ customerId: tenant.customerId, caller });
      harness.openai.respondWith(() => ({ content: 'Of course, Robin. What would you like to change?' }));

      const response = await gateway.turn(tenant.customerId, callSid, 'I want to update my address');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.any(String), text: 'Of course, Robin. What would you like to change?' }],
        next: gatherFor(tenant.customer),
      });
      const [chat] = chatsFor(harness, tenant.customer.agentName);
      expect(chat?.model).toBe('tenant-model-x');
      const prompt = systemPromptOf(chat!);
      expect(prompt).toContain(`You are ${tenant.customer.agentName}, answering the phone for ${tenant.customer.businessName}.`);
      expect(prompt).toContain(tenant.template.role);
      expect(prompt).toContain(tenant.template.guideline);
      expect(prompt).toContain('Your personality: Calm and exact.');
      expect(prompt).toContain(
        `${tenant.template.knownFactsIntro}\n<caller_memory>\nCaller name: Robin. Lives in Springfield.\n</caller_memory>`,
      );
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
      const called = tenant.phoneNumbers[0]!.e164;
      const { callSid } = await gateway.start({ customerId: tenant.customerId, called });
      harness.openai.respondWith(() => ({
        toolCalls: [{ name: 'transfer_to_human', arguments: { reason: 'wants a person', caller_name: null } }],
      }));

      const response = await gateway.turn(tenant.customerId, callSid, 'Can I talk to a real person?');

      expect(response.status).toBe(200);
      expect(response.body.next).toEqual({
        type: 'transfer',
        number: transferNumber,
        timeout_seconds: 20,
        caller_id: called,
        whisper: {
          text: expect.stringMatching(/^Call for .* from a caller at .*\. wants a person\. Connecting you now\.$/),
          language: 'en-US',
          voice: 'Polly.Joanna-Neural',
        },
      });
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
        next: gatherFor(tenant.customer),
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
          // The model did not say: a message is as urgent as any other.
          urgency: 'normal',
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
                {
                  name: 'request_callback',
                  arguments: {
                    reason: 'Question about coverage',
                    caller_name: 'Kim Park',
                    callback_number: 'this number',
                    callback_time: 'tomorrow after 3',
                    urgency: 'high',
                  },
                },
              ],
            },
      );

      await gateway.turn(tenant.customerId, callSid, 'Can someone call me back tomorrow after 3?');

      const messages = await asTenant(harness.db, tenant.customerId, (tx) => tx.callMessage.findMany({ where: { callSid } }));
      expect(messages).toEqual([
        expect.objectContaining({
          kind: 'callback',
          callerName: 'Kim Park',
          message: 'Question about coverage',
          callbackTime: 'tomorrow after 3',
          urgency: 'high',
        }),
      ]);
    });

    it("send_sms texts the caller's own number through the sms service, idempotent per call and content", async () => {
      const tenant = await harness.createTenant();
      const caller = uniquePhone();
      const { callSid } = await gateway.start({ customerId: tenant.customerId, caller });
      harness.openai.respondWith((chat) =>
        hasToolResults(chat)
          ? { content: 'I just sent you a text with the address.' }
          : { toolCalls: [{ name: 'send_sms', arguments: { message: 'Our address is 1 Test Street.', consent: true } }] },
      );

      const response = await gateway.turn(tenant.customerId, callSid, 'Can you text me your address?');

      expect(response.body.speak[0].text).toBe('I just sent you a text with the address.');
      const sent = harness.sms.requests.filter((r) => r.path === '/v1/messages' && (r.body as { call_sid?: string }).call_sid === callSid);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.body).toEqual({
        to: caller,
        body: 'Our address is 1 Test Street.',
        idempotency_key: expect.stringMatching(new RegExp(`^${callSid}:sms:[0-9a-f]{32}$`)),
        call_sid: callSid,
      });
    });

    it('end_call says the closing line and hangs up', async () => {
      const tenant = await harness.createTenant();
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      harness.openai.respondWith(() => ({
        toolCalls: [{ name: 'end_call', arguments: { closing_line: 'Thanks for calling, bye now.' } }],
      }));

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
        hasToolResults(chat)
          ? { content: 'What message should I pass on?' }
          : { toolCalls: [{ name: 'take_message', arguments: { message: '', caller_name: null } }] },
      );

      const response = await gateway.turn(tenant.customerId, callSid, 'Take a message');

      expect(response.body.speak[0].text).toBe('What message should I pass on?');
      const toolResult = chatsFor(harness, tenant.customer.agentName).find(hasToolResults)?.messages.at(-1);
      expect(JSON.parse(String(toolResult?.content))).toEqual({ ok: false, error: 'invalid arguments: message: message is required' });
      const messages = await asTenant(harness.db, tenant.customerId, (tx) => tx.callMessage.count({ where: { callSid } }));
      expect(messages).toBe(0);
    });

    it('silence gets a re-prompt, then an offer of a person or a message, then a polite goodbye and a hang-up', async () => {
      const tenant = await harness.createTenant({ speechTimeoutSeconds: 4, transferNumber: uniquePhone() });
      const { callSid } = await gateway.start({ customerId: tenant.customerId });

      const first = await gateway.turn(tenant.customerId, callSid, null);
      const second = await gateway.turn(tenant.customerId, callSid, null);
      const third = await gateway.turn(tenant.customerId, callSid, null);

      expect(first.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.any(String), text: "Sorry, I didn't catch that. Are you still there?" }],
        next: gatherFor(tenant.customer),
      });
      expect(second.body).toEqual({
        speak: [
          {
            type: 'play',
            audio_token: expect.any(String),
            text: "I still can't hear you. To speak with someone, press 0. To leave a message, press 1. Or just tell me what you need.",
          },
        ],
        next: gatherFor(tenant.customer, { num_digits: 1 }),
      });
      expect(third.body).toEqual({
        speak: [
          { type: 'play', audio_token: expect.any(String), text: "I'm sorry, I can't hear you. Please call back any time. Goodbye." },
        ],
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
});

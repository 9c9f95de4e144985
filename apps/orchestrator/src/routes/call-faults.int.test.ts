// Each dependency down (nothing listening) and hanging (accepts, never answers): the gateway still
// gets instructions before its deadline, and the failure is counted. The hanging fakes never
// answer at all, so "returned before the deadline" can only mean the orchestrator's own timeouts
// worked; it is not a race between two timings.
import { startFakeServer, startSilentTcpServer, uniquePhone, useHarness } from '@neurosphere/testing';
import type { FakeServer } from '@neurosphere/testing';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { asTenant, closedPortUrl, startHarness, dependencyFailures, eventually, GatewayClient, gatherFor } from '../../test/harness';

/** What the gateway waits for the orchestrator before answering Twilio itself (Twilio allows 5 s in all). */
const GATEWAY_DEADLINE_MS = 4000;

/** Short provider timeouts so the suite is quick; the turn budget stays well inside the gateway's deadline. */
const FAULT_ENV = {
  OPENAI_TIMEOUT_MS: '400',
  ELEVENLABS_TIMEOUT_MS: '400',
  MEMORY_CONTEXT_TIMEOUT_MS: '400',
  SMS_TIMEOUT_MS: '400',
  REDIS_TIMEOUT_MS: '250',
  DATABASE_TIMEOUT_MS: '1500',
  TURN_BUDGET_MS: '2500',
};

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const startedAt = Date.now();
  const result = await work();
  return { result, elapsedMs: Date.now() - startedAt };
}

describe('call faults', () => {
  const harness = useHarness(startHarness);
  let app: Express;
  let gateway: GatewayClient;

  beforeAll(() => {
    ({ app } = harness.makeApp({ env: FAULT_ENV }));
    gateway = new GatewayClient(app, harness.gatewaySigner);
  });
  beforeEach(() => harness.resetProviders());

  describe('OpenAI', () => {
    it('down: an apology and a re-gather, then a transfer to the tenant on the second failure', async () => {
      const transferNumber = uniquePhone();
      const { app: downApp } = harness.makeApp({ env: { ...FAULT_ENV, OPENAI_BASE_URL: `${await closedPortUrl()}/v1` } });
      const down = new GatewayClient(downApp, harness.gatewaySigner);
      const tenant = await harness.createTenant({ transferNumber });
      const called = tenant.phoneNumbers[0]!.e164;
      const { callSid } = await down.start({ customerId: tenant.customerId, called });

      const first = await timed(() => down.turn(tenant.customerId, callSid, 'Hello?'));
      const second = await down.turn(tenant.customerId, callSid, 'Hello??');

      expect(first.elapsedMs).toBeLessThan(GATEWAY_DEADLINE_MS);
      expect(first.result.status).toBe(200);
      expect(first.result.body).toEqual({
        speak: [
          { type: 'play', audio_token: expect.any(String), text: "I'm sorry, something went wrong on our end. Could you say that again?" },
        ],
        next: gatherFor(tenant.customer),
      });
      expect(second.body.next).toEqual({
        type: 'transfer',
        number: transferNumber,
        timeout_seconds: 20,
        caller_id: called,
        whisper: expect.objectContaining({ text: expect.stringContaining('Our assistant could not continue the call.') }),
      });
      expect(await dependencyFailures(downApp, 'openai', 'unavailable')).toBe(2);
      // Both fallback answers are recorded for the tenant (after the answer went out): the platform's health view counts them.
      const recorded = await eventually(async () => {
        const rows = await asTenant(harness.db, tenant.customerId, (tx) =>
          tx.fallbackAnswer.findMany({ where: { callSid }, orderBy: { occurredAt: 'asc' } }),
        );
        return rows.length >= 2 ? rows : undefined;
      });
      expect(recorded.map((row) => row.reason)).toEqual(['model_unavailable', 'model_unavailable']);
    });

    it('hanging: the apology comes back before the deadline and the timeout is counted', async () => {
      const tenant = await harness.createTenant();
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      const before = await dependencyFailures(app, 'openai', 'timeout');
      harness.openai.respondWith(() => ({ reply: { hang: true } }));

      const { result, elapsedMs } = await timed(() => gateway.turn(tenant.customerId, callSid, 'Are you there?'));

      expect(elapsedMs).toBeLessThan(GATEWAY_DEADLINE_MS);
      expect(result.status).toBe(200);
      expect(result.body.speak[0].text).toBe("I'm sorry, something went wrong on our end. Could you say that again?");
      expect(result.body.next.type).toBe('gather');
      expect(await dependencyFailures(app, 'openai', 'timeout')).toBe(before + 1);
    });

    it('failing twice without a transfer number: the agent takes a message without the model', async () => {
      const tenant = await harness.createTenant({ transferNumber: null });
      const caller = uniquePhone();
      const { callSid } = await gateway.start({ customerId: tenant.customerId, caller });
      const before = await dependencyFailures(app, 'openai', 'error');
      harness.openai.respondWith(() => ({ reply: { status: 500, body: { error: { message: 'server error' } } } }));

      await gateway.turn(tenant.customerId, callSid, 'Hello');
      const offer = await gateway.turn(tenant.customerId, callSid, 'Hello?');
      const taken = await gateway.turn(tenant.customerId, callSid, 'This is Kim, please call me about my order');

      expect(offer.body.speak[0].text).toBe(
        "I'm sorry, our system is having trouble right now. Please tell me your name and a short message, and someone will get back to you.",
      );
      expect(offer.body.next.type).toBe('gather');
      expect(taken.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.any(String), text: 'Thank you, I have passed on your message. Goodbye.' }],
        next: { type: 'hangup' },
      });
      const messages = await asTenant(harness.db, tenant.customerId, (tx) => tx.callMessage.findMany({ where: { callSid } }));
      expect(messages).toEqual([
        expect.objectContaining({ kind: 'message', callerNumber: caller, message: 'This is Kim, please call me about my order' }),
      ]);
      expect(await dependencyFailures(app, 'openai', 'error')).toBe(before + 2);
    });
  });

  describe('ElevenLabs', () => {
    it('down: the same words go out as <Say>, and the failure is counted', async () => {
      const { app: downApp } = harness.makeApp({ env: { ...FAULT_ENV, ELEVENLABS_BASE_URL: await closedPortUrl() } });
      const down = new GatewayClient(downApp, harness.gatewaySigner);
      const tenant = await harness.createTenant();

      const { result, elapsedMs } = await timed(() => down.start({ customerId: tenant.customerId }));

      expect(elapsedMs).toBeLessThan(GATEWAY_DEADLINE_MS);
      expect(result.response.body).toEqual({
        speak: [{ type: 'say', text: expect.stringContaining(tenant.customer.agentName), language: 'en-US', voice: 'Polly.Joanna-Neural' }],
        next: gatherFor(tenant.customer),
      });
      expect(await dependencyFailures(downApp, 'elevenlabs', 'unavailable')).toBe(1);
    });

    it('hanging: <Say> before the deadline, for the greeting and for a reply', async () => {
      const tenant = await harness.createTenant();
      const before = await dependencyFailures(app, 'elevenlabs', 'timeout');
      harness.elevenlabs.failWith(() => ({ hang: true }));

      const start = await timed(() => gateway.start({ customerId: tenant.customerId }));
      const turn = await timed(() => gateway.turn(tenant.customerId, start.result.callSid, 'Hi'));

      expect(start.elapsedMs).toBeLessThan(GATEWAY_DEADLINE_MS);
      expect(turn.elapsedMs).toBeLessThan(GATEWAY_DEADLINE_MS);
      const voice = { language: 'en-US', voice: 'Polly.Joanna-Neural' };
      expect(start.result.response.body.speak).toEqual([
        { type: 'say', text: expect.stringContaining(tenant.customer.agentName), ...voice },
      ]);
      expect(turn.result.body.speak).toEqual([{ type: 'say', text: 'How can I help you today?', ...voice }]);
      // At least the greeting's synthesis timed out (the reply's may be skipped when little time is left).
      expect(await dependencyFailures(app, 'elevenlabs', 'timeout')).toBeGreaterThanOrEqual(before + 1);
    });
  });

  describe('memory', () => {
    let hangingMemory: FakeServer;
    beforeAll(async () => {
      hangingMemory = await startFakeServer({ 'POST /v2/context/enriched': () => ({ hang: true }) });
    });
    afterAll(async () => {
      await hangingMemory.close();
    });

    it.each([
      ['down', 'unavailable', async () => closedPortUrl()],
      ['hanging', 'timeout', async () => hangingMemory.url],
    ])('%s: the normal greeting (as a new caller) before the deadline, failure counted', async (_label, kind, memoryUrl) => {
      const { app: faultyApp } = harness.makeApp({ env: { ...FAULT_ENV, MEMORY_URL: await memoryUrl() } });
      const faulty = new GatewayClient(faultyApp, harness.gatewaySigner);
      const tenant = await harness.createTenant();
      const caller = uniquePhone();
      harness.memory.setContext(tenant.customerId, caller, 'Known caller details that must not appear.');

      const { result, elapsedMs } = await timed(() => faulty.start({ customerId: tenant.customerId, caller }));
      await faulty.turn(tenant.customerId, result.callSid, 'Hello');

      expect(elapsedMs).toBeLessThan(GATEWAY_DEADLINE_MS);
      expect(result.response.body).toEqual({
        speak: [{ type: 'play', audio_token: expect.any(String), text: expect.stringContaining(tenant.customer.agentName) }],
        next: gatherFor(tenant.customer),
      });
      const chat = harness.openai
        .chatRequests()
        .find((c) => JSON.stringify(c.messages[0]).includes(`You are ${tenant.customer.agentName},`));
      expect(JSON.stringify(chat)).not.toContain('Known caller details');
      expect(await dependencyFailures(faultyApp, 'memory', kind)).toBe(1);
    });
  });

  describe('Redis', () => {
    /** A client for a Redis that is down: refused at once, no reconnects. */
    function deadRedis(): Redis {
      const client = new Redis({ host: '127.0.0.1', port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      return client;
    }

    async function withHangingRedis<T>(work: (client: Redis) => Promise<T>): Promise<T> {
      const silent = await startSilentTcpServer();
      const client = new Redis({ host: '127.0.0.1', port: silent.port, lazyConnect: true, maxRetriesPerRequest: 1 });
      client.on('error', () => undefined);
      try {
        return await work(client);
      } finally {
        client.disconnect();
        await silent.close();
      }
    }

    async function withDeadRedis<T>(work: (client: Redis) => Promise<T>): Promise<T> {
      const client = deadRedis();
      try {
        return await work(client);
      } finally {
        if (client.status !== 'end') client.disconnect();
      }
    }

    it.each([
      ['down', 'unavailable', withDeadRedis],
      ['hanging', 'timeout', withHangingRedis],
    ] as const)('%s at call start: an apology and a transfer to the tenant, failure counted', async (_label, kind, withRedis) => {
      const transferNumber = uniquePhone();
      const tenant = await harness.createTenant({ transferNumber });
      await withRedis(async (client) => {
        const { app: faultyApp } = harness.makeApp({ env: FAULT_ENV, redis: client });
        const faulty = new GatewayClient(faultyApp, harness.gatewaySigner);

        const { result, elapsedMs } = await timed(() => faulty.start({ customerId: tenant.customerId }));

        expect(elapsedMs).toBeLessThan(GATEWAY_DEADLINE_MS);
        expect(result.response.body).toEqual({
          speak: [
            {
              type: 'say',
              text: "I'm sorry, we're having trouble right now. Let me connect you with someone.",
              language: 'en-US',
              voice: 'Polly.Joanna-Neural',
            },
          ],
          next: { type: 'transfer', number: transferNumber },
        });
        expect(await dependencyFailures(faultyApp, 'redis', kind)).toBeGreaterThanOrEqual(1);
      });
    });

    it.each([
      ['down', 'unavailable', withDeadRedis],
      ['hanging', 'timeout', withHangingRedis],
    ] as const)('%s mid-call: an apology and a polite hang-up when the tenant has no transfer number', async (_label, kind, withRedis) => {
      const tenant = await harness.createTenant({ transferNumber: null });
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      await withRedis(async (client) => {
        const { app: faultyApp } = harness.makeApp({ env: FAULT_ENV, redis: client });
        const faulty = new GatewayClient(faultyApp, harness.gatewaySigner);

        const { result, elapsedMs } = await timed(() => faulty.turn(tenant.customerId, callSid, 'Hello?'));

        expect(elapsedMs).toBeLessThan(GATEWAY_DEADLINE_MS);
        expect(result.status).toBe(200);
        expect(result.body).toEqual({
          speak: [
            {
              type: 'say',
              text: "I'm sorry, we can't take your call right now. Please call back later. Goodbye.",
              language: 'en-US',
              voice: 'Polly.Joanna-Neural',
            },
          ],
          next: { type: 'hangup' },
        });
        expect(await dependencyFailures(faultyApp, 'redis', kind)).toBe(1);
      });
    });

    it('down when a transfer went unanswered: an apology and a hang-up (no second dial), failure counted', async () => {
      const tenant = await harness.createTenant({ transferNumber: uniquePhone() });
      const { callSid } = await gateway.start({ customerId: tenant.customerId });
      await withDeadRedis(async (client) => {
        const { app: faultyApp } = harness.makeApp({ env: FAULT_ENV, redis: client });
        const faulty = new GatewayClient(faultyApp, harness.gatewaySigner);

        const result = await faulty.transferResult(tenant.customerId, callSid, 'no-answer');

        expect(result.status).toBe(200);
        // Without the call state the tenant's voice is unknown too: Twilio's default voice says it.
        expect(result.body).toEqual({
          speak: [{ type: 'say', text: "I'm sorry, we can't take your call right now. Please call back later. Goodbye." }],
          next: { type: 'hangup' },
        });
        expect(await dependencyFailures(faultyApp, 'redis', 'unavailable')).toBe(1);
      });
    });
  });

  describe('sms', () => {
    it('down: the agent says the text could not be sent, the call goes on, failure counted', async () => {
      const { app: downApp } = harness.makeApp({ env: { ...FAULT_ENV, SMS_URL: await closedPortUrl() } });
      const down = new GatewayClient(downApp, harness.gatewaySigner);
      const tenant = await harness.createTenant();
      const { callSid } = await down.start({ customerId: tenant.customerId });
      harness.openai.respondWith((chat) =>
        chat.messages.some((m) => m.role === 'tool')
          ? { content: "I couldn't send that text right now, sorry." }
          : { toolCalls: [{ name: 'send_sms', arguments: { message: 'Hello from us', consent: true } }] },
      );

      const response = await down.turn(tenant.customerId, callSid, 'Text me please');

      expect(response.body.speak[0].text).toBe("I couldn't send that text right now, sorry.");
      expect(response.body.next.type).toBe('gather');
      const toolResult = harness.openai
        .chatRequests()
        .find((c) => c.messages.some((m) => m.role === 'tool' && JSON.stringify(c).includes(tenant.customer.agentName)));
      expect(toolResult?.messages.at(-1)?.content).toBe(
        '{"ok":false,"error":"the text could not be sent right now (a problem on our side)"}',
      );
      expect(await dependencyFailures(downApp, 'sms', 'unavailable')).toBe(1);
    });
  });

  it('everything hanging at once (model and voice): still an answer before the deadline', async () => {
    const tenant = await harness.createTenant();
    const { callSid } = await gateway.start({ customerId: tenant.customerId });
    harness.openai.respondWith(() => ({ reply: { hang: true } }));
    harness.elevenlabs.failWith(() => ({ hang: true }));

    const { result, elapsedMs } = await timed(() => gateway.turn(tenant.customerId, callSid, 'Anyone there?'));

    expect(elapsedMs).toBeLessThan(GATEWAY_DEADLINE_MS);
    expect(result.body).toEqual({
      speak: [
        {
          type: 'say',
          text: "I'm sorry, something went wrong on our end. Could you say that again?",
          language: 'en-US',
          voice: 'Polly.Joanna-Neural',
        },
      ],
      next: gatherFor(tenant.customer),
    });
  });
});

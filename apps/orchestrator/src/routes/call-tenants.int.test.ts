import type { CallInstructions } from '@neurosphere/contracts';
import { uniquePhone } from '@neurosphere/testing';
import { asTenant, chatsFor, systemPromptOf, useCallRoutes } from '../../test/harness';

// Two tenants' calls side by side, and a tenant's own provider keys (BYOK).

describe('call routes', () => {
  const { harness, gateway } = useCallRoutes();

  describe('tenants', () => {
    it("keeps two tenants' concurrent calls from the same caller apart", async () => {
      const [tenantA, tenantB] = await Promise.all([
        harness.createTenant({ openaiModel: 'model-a', callerVerification: 'none' }),
        harness.createTenant({ openaiModel: 'model-b', callerVerification: 'none' }),
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
      expect(voices.filter((r) => r.text.includes(tenantA.customer.agentName)).every((r) => r.voiceId === tenantA.customer.voiceId)).toBe(
        true,
      );
      expect(voices.filter((r) => r.text.includes(tenantB.customer.agentName)).every((r) => r.voiceId === tenantB.customer.voiceId)).toBe(
        true,
      );

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
      const logA = await asTenant(harness.db, tenantA.customerId, (tx) =>
        tx.call.findMany({ where: { callSid: { in: [callA.callSid, callB.callSid] } } }),
      );
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

import { uniquePhone } from '@neurosphere/testing';
import { asTenant, eventually, useCallRoutes } from '../../test/harness';

// POST /v1/calls/:callSid/end: the call log and the transcript handed to memory.

describe('call routes', () => {
  const { harness, gateway } = useCallRoutes();

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
      expect(answer).toEqual(
        expect.objectContaining({ llmMs: expect.any(Number), ttsMs: expect.any(Number), totalMs: expect.any(Number) }),
      );
      expect(answer!.totalMs!).toBeGreaterThanOrEqual(answer!.llmMs!);

      const usage = await asTenant(harness.db, tenant.customerId, (tx) =>
        tx.usageRecord.findMany({ where: { callSid }, orderBy: { kind: 'asc' } }),
      );
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
            thread_id: `customer_${tenant.customerId}_user_${caller!.slice(1)}`,
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
      // Only the open row written beside the start's answer (for the reaper): no end.
      const calls = await eventually(async () => {
        const rows = await asTenant(harness.db, tenant.customerId, (tx) =>
          tx.call.findMany({ where: { callSid }, select: { status: true, endedAt: true } }),
        );
        return rows.length > 0 ? rows : undefined;
      });
      expect(calls).toEqual([{ status: 'in-progress', endedAt: null }]);
      // The call goes on.
      expect((await gateway.turn(tenant.customerId, callSid, 'still here')).status).toBe(200);
    });
  });
});

import { withPlatform, withTenant } from '@neurosphere/db';
import { createTestCredential } from '@neurosphere/db/testing';
import { startFakeOpenAI, startFakeServer, uniqueMessageSid, uniquePhone } from '@neurosphere/testing';
import type { FakeOpenAI, FakeReply, FakeServer, RecordedRequest } from '@neurosphere/testing';
import OpenAI from 'openai';
import request from 'supertest';
import { createServiceTokenSigner, generateServiceKeyPair } from '@neurosphere/auth';
import { createMemoryContextClient } from '../clients/memory-client';
import { DEFAULT_HELP_REPLY } from '../domain/inbound/receive-inbound-message';
import { createSmsTenant, startHarness } from '../../test/harness';
import type { Harness, SmsTenant } from '../../test/harness';

/** Memory's answer about the caller a request names (for `customerId` when given instead). */
function enrichedContext(recorded: RecordedRequest, customerId?: number): FakeReply {
  const asked = recorded.body as { customer_id: number; user_id: string };
  return {
    status: 200,
    body: {
      success: true,
      customer_id: customerId ?? asked.customer_id,
      user_id: asked.user_id,
      known_caller: true,
      quick_bio: 'Dana | Austin',
      recent_summaries: [],
      known_facts: {},
      personality: null,
      prompt_context: 'Dana prefers morning appointments.',
    },
  };
}

describe('POST /v1/inbound', () => {
  let harness: Harness;
  let fakeOpenAI: FakeOpenAI;
  let fakeMemory: FakeServer;

  beforeAll(async () => {
    fakeOpenAI = await startFakeOpenAI(() => ({ content: 'Happy to help — we open at 9.' }));
    fakeMemory = await startFakeServer({ 'POST /v2/context/enriched': (recorded) => enrichedContext(recorded) });
    const { privateJwk } = await generateServiceKeyPair('sms-test-signer');
    harness = await startHarness({
      ai: {
        openai: new OpenAI({ apiKey: 'test', baseURL: fakeOpenAI.baseURL }),
        openaiWithKey: (apiKey) => new OpenAI({ apiKey, baseURL: fakeOpenAI.baseURL }),
        memory: createMemoryContextClient({
          baseUrl: fakeMemory.url,
          signer: createServiceTokenSigner({ issuer: 'sms', privateJwk }),
          timeoutMs: 2_000,
        }),
      },
    });
  });
  afterAll(async () => {
    await harness.close();
    await fakeOpenAI.close();
    await fakeMemory.close();
  });

  const inbound = async (
    tenant: SmsTenant,
    from: string,
    body: string,
    messageSid = uniqueMessageSid(),
    issuer: 'gateway' | 'orchestrator' = 'gateway',
  ) =>
    request(harness.app)
      .post('/v1/inbound')
      .set('authorization', `Bearer ${await harness.token(issuer, tenant.customerId)}`)
      .send({ message_sid: messageSid, from, to: tenant.numbers[0], body });

  const send = async (tenant: SmsTenant, to: string) =>
    request(harness.app)
      .post('/v1/messages')
      .set('authorization', `Bearer ${await harness.token('orchestrator', tenant.customerId)}`)
      .send({ to, body: 'Following up on your call' });

  it('stores an inbound text for the tenant of the token', async () => {
    const tenant = await createSmsTenant(harness);
    const from = uniquePhone();
    const messageSid = uniqueMessageSid();
    const response = await inbound(tenant, from, 'Is the office open Saturday?', messageSid);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, reply: null });
    const stored = await withTenant(harness.db, tenant.customerId, (tx) =>
      tx.smsMessage.findMany({ where: { customerId: tenant.customerId } }),
    );
    expect(stored).toEqual([
      expect.objectContaining({
        direction: 'inbound',
        fromNumber: from,
        toNumber: tenant.numbers[0],
        body: 'Is the office open Saturday?',
        status: 'received',
        twilioSid: messageSid,
      }),
    ]);
  });

  it('stores a webhook Twilio delivers twice only once', async () => {
    const tenant = await createSmsTenant(harness);
    const from = uniquePhone();
    const messageSid = uniqueMessageSid();
    await inbound(tenant, from, 'hello', messageSid);
    const again = await inbound(tenant, from, 'hello', messageSid);
    expect(again.status).toBe(200);
    expect(await withTenant(harness.db, tenant.customerId, (tx) => tx.smsMessage.count({ where: { customerId: tenant.customerId } }))).toBe(
      1,
    );
  });

  it('opts a number out for tenant A only when it texts STOP to A', async () => {
    const [a, b] = await Promise.all([createSmsTenant(harness), createSmsTenant(harness)]);
    const caller = uniquePhone();
    const stop = await inbound(a, caller, 'Stop');
    expect(stop.status).toBe(200);
    expect(stop.body).toEqual({ success: true, reply: null });

    const refused = await send(a, caller);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('RECIPIENT_OPTED_OUT');

    const allowed = await send(b, caller);
    expect(allowed.status).toBe(202);
    await harness.waitForSend(b.customerId, allowed.body.message.id);
    expect(harness.fakeTwilio.sentMessages().filter((sent) => sent.to === caller)).toEqual([
      expect.objectContaining({ from: b.numbers[0] }),
    ]);
  });

  it.each(['STOPALL', 'unsubscribe', 'CANCEL', 'end', 'Quit.'])('treats %s as an opt-out', async (keyword) => {
    const tenant = await createSmsTenant(harness);
    const caller = uniquePhone();
    await inbound(tenant, caller, keyword);
    expect((await send(tenant, caller)).status).toBe(422);
  });

  it.each(['START', 'unstop'])('opts back in on %s', async (keyword) => {
    const tenant = await createSmsTenant(harness);
    const caller = uniquePhone();
    await inbound(tenant, caller, 'STOP');
    expect((await send(tenant, caller)).status).toBe(422);
    const start = await inbound(tenant, caller, keyword);
    expect(start.body).toEqual({ success: true, reply: null });
    expect((await send(tenant, caller)).status).toBe(202);
  });

  it("answers HELP with the tenant's help text, or neutral wording when it has none", async () => {
    const withText = await createSmsTenant(harness, {
      helpText: 'Test Business: call us at the number on our site. Reply STOP to opt out.',
    });
    const withoutText = await createSmsTenant(harness);
    expect((await inbound(withText, uniquePhone(), 'help')).body).toEqual({
      success: true,
      reply: 'Test Business: call us at the number on our site. Reply STOP to opt out.',
    });
    expect((await inbound(withoutText, uniquePhone(), 'HELP')).body).toEqual({ success: true, reply: DEFAULT_HELP_REPLY });
  });

  it("answers with the AI agent when the tenant enabled it, using the caller's memory context", async () => {
    const tenant = await createSmsTenant(harness, { smsAiReplyEnabled: true, agentName: 'Robin' });
    const caller = uniquePhone();
    const before = fakeOpenAI.chatRequests().length;
    const response = await inbound(tenant, caller, 'When do you open tomorrow?');
    expect(response.body).toEqual({ success: true, reply: 'Happy to help — we open at 9.' });

    const chat = fakeOpenAI.chatRequests().slice(before);
    expect(chat).toHaveLength(1);
    expect(chat[0]?.messages[0]?.content).toEqual(expect.stringContaining('Dana prefers morning appointments.'));
    expect(chat[0]?.messages[0]?.content).toEqual(expect.stringContaining('You are Robin'));
    expect(chat[0]?.messages.at(-1)).toEqual({ role: 'user', content: 'When do you open tomorrow?' });
    const memoryCall = fakeMemory.requests.at(-1);
    expect(memoryCall?.body).toEqual({ customer_id: tenant.customerId, user_id: caller });
    expect(memoryCall?.headers.authorization).toMatch(/^Bearer ey/);

    const log = await withTenant(harness.db, tenant.customerId, (tx) =>
      tx.smsMessage.findMany({ where: { customerId: tenant.customerId }, orderBy: { createdAt: 'asc' } }),
    );
    expect(log.map((message) => [message.direction, message.body])).toEqual([
      ['inbound', 'When do you open tomorrow?'],
      ['outbound', 'Happy to help — we open at 9.'],
    ]);
  });

  it("writes the AI reply with the tenant's own OpenAI key when it set one", async () => {
    const tenant = await createSmsTenant(harness, { smsAiReplyEnabled: true });
    const tenantKey = `sk-tenant-${uniqueMessageSid()}`;
    await withPlatform(harness.platformDb, { actor: 'test', action: 'test.byok_openai', customerId: tenant.customerId }, (tx) =>
      createTestCredential(tx, { customerId: tenant.customerId, provider: 'openai', secret: tenantKey, keyring: harness.keyring }),
    );
    const before = fakeOpenAI.requests.length;
    expect((await inbound(tenant, uniquePhone(), 'Do you open on Sundays?')).body.reply).toBe('Happy to help — we open at 9.');
    const chats = fakeOpenAI.requests.slice(before).filter((recorded) => recorded.path === '/v1/chat/completions');
    expect(chats.map((recorded) => recorded.headers.authorization)).toEqual([`Bearer ${tenantKey}`]);
  });

  it('meters inbound segments and the reply once per Twilio message', async () => {
    const tenant = await createSmsTenant(harness, { helpText: 'Call us at the office.' });
    const messageSid = uniqueMessageSid();
    const text = `Hi ${'ł'.repeat(82)}`;
    await inbound(tenant, uniquePhone(), 'HELP', messageSid);
    await inbound(tenant, uniquePhone(), 'HELP', messageSid);
    const other = uniqueMessageSid();
    await inbound(tenant, uniquePhone(), text, other);
    const usage = await withTenant(harness.db, tenant.customerId, (tx) =>
      tx.usageRecord.findMany({ where: { customerId: tenant.customerId }, orderBy: [{ kind: 'asc' }, { idempotencyKey: 'asc' }] }),
    );
    expect(usage.map((record) => [record.kind, Number(record.quantity), record.idempotencyKey]).sort()).toEqual(
      [
        ['sms_segments_in', 1, `sms-in:${messageSid}`],
        // 85 characters with some outside GSM-7: two UCS-2 segments.
        ['sms_segments_in', 2, `sms-in:${other}`],
        ['sms_segments_out', 1, `sms-reply:${messageSid}`],
      ].sort(),
    );
  });

  it('replies without caller context when memory answers for another tenant', async () => {
    const tenant = await createSmsTenant(harness, { smsAiReplyEnabled: true });
    fakeMemory.on('POST', '/v2/context/enriched', (recorded) => enrichedContext(recorded, tenant.customerId + 1));
    const before = fakeOpenAI.chatRequests().length;
    try {
      expect((await inbound(tenant, uniquePhone(), 'When do you open tomorrow?')).body).toEqual({
        success: true,
        reply: 'Happy to help — we open at 9.',
      });
    } finally {
      fakeMemory.on('POST', '/v2/context/enriched', (recorded) => enrichedContext(recorded));
    }
    const chat = fakeOpenAI.chatRequests().slice(before);
    expect(chat).toHaveLength(1);
    expect(chat[0]?.messages[0]?.content).not.toContain('Dana prefers morning appointments.');
  });

  it('sends no AI reply when OpenAI fails, or to an opted-out number', async () => {
    const tenant = await createSmsTenant(harness, { smsAiReplyEnabled: true });
    fakeOpenAI.respondWith(() => ({ reply: { status: 500, body: { error: { message: 'boom' } } } }));
    try {
      expect((await inbound(tenant, uniquePhone(), 'anyone there?')).body).toEqual({ success: true, reply: null });
    } finally {
      fakeOpenAI.respondWith(() => ({ content: 'Happy to help — we open at 9.' }));
    }
    const optedOut = uniquePhone();
    await inbound(tenant, optedOut, 'STOP');
    const before = fakeOpenAI.chatRequests().length;
    expect((await inbound(tenant, optedOut, 'one more question')).body).toEqual({ success: true, reply: null });
    expect(fakeOpenAI.chatRequests().length).toBe(before);
  });

  it('refuses a "to" number that is not the tenant\'s, and callers other than the gateway', async () => {
    const [a, b] = await Promise.all([createSmsTenant(harness), createSmsTenant(harness)]);
    const wrongNumber = await request(harness.app)
      .post('/v1/inbound')
      .set('authorization', `Bearer ${await harness.token('gateway', a.customerId)}`)
      .send({ message_sid: uniqueMessageSid(), from: uniquePhone(), to: b.numbers[0], body: 'STOP' });
    expect(wrongNumber.status).toBe(403);
    expect(wrongNumber.body).toEqual({
      success: false,
      error: 'The "to" number is not a number of the tenant of this service token',
      code: 'FORBIDDEN',
      details: [{ path: 'to', message: 'not a number of this tenant' }],
    });
    expect(await withTenant(harness.db, b.customerId, (tx) => tx.smsOptOut.count({ where: { customerId: b.customerId } }))).toBe(0);

    const fromOrchestrator = await inbound(a, uniquePhone(), 'hi', uniqueMessageSid(), 'orchestrator');
    expect(fromOrchestrator.status).toBe(403);
    expect(fromOrchestrator.body).toEqual({
      success: false,
      error: 'Service orchestrator may not call POST /v1/inbound',
      code: 'FORBIDDEN',
    });
  });

  it('answers 400 naming the field for a malformed webhook', async () => {
    const tenant = await createSmsTenant(harness);
    const response = await request(harness.app)
      .post('/v1/inbound')
      .set('authorization', `Bearer ${await harness.token('gateway', tenant.customerId)}`)
      .send({ message_sid: '', from: uniquePhone(), to: tenant.numbers[0], body: 'hi' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      success: false,
      error: 'Invalid body.message_sid: String must contain at least 1 character(s)',
      code: 'VALIDATION_FAILED',
      details: [{ path: 'body.message_sid', message: 'String must contain at least 1 character(s)' }],
    });
  });
});

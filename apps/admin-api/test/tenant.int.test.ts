import { withTenant } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { bearer, createAdmin, startHarness, platformRead } from './harness';

interface SeededTenant {
  customerId: number;
  callerPhone: string;
  callIds: string[];
  callerId: string;
}

describe('tenant routes', () => {
  const harness = useHarness(startHarness);
  let tenantA: SeededTenant;
  let tenantB: SeededTenant;
  let asAdminA: string;
  let asViewerA: string;

  /** Three calls (two from one caller, with turns), one caller profile with summaries, usage rows. */
  async function seedTenant(): Promise<SeededTenant> {
    const { customerId } = await createTestTenant(harness.platformDb);
    const callerPhone = uniquePhone();
    const otherPhone = uniquePhone();
    return withTenant(harness.db, customerId, async (tx) => {
      const callIds: string[] = [];
      const starts = ['2026-10-01T10:00:00Z', '2026-10-02T10:00:00Z', '2026-10-03T10:00:00Z'];
      for (const [index, startedAt] of starts.entries()) {
        const call = await tx.call.create({
          data: {
            customerId,
            callSid: uniqueCallSid(),
            fromNumber: index === 1 ? otherPhone : callerPhone,
            toNumber: uniquePhone(),
            status: 'completed',
            startedAt: new Date(startedAt),
          },
        });
        callIds.push(call.id);
        await tx.callTurn.createMany({
          data: [
            { customerId, callId: call.id, turnIndex: 1, role: 'assistant', text: 'How can I help?' },
            { customerId, callId: call.id, turnIndex: 0, role: 'user', text: `Hello, call ${index}` },
          ],
        });
      }
      // The second call's own summary (the getCall answer carries it); the other calls have none.
      const secondCall = await tx.call.findUniqueOrThrow({ where: { customerId_id: { customerId, id: callIds[1] as string } } });
      await tx.callSummary.create({
        data: {
          customerId,
          callSid: secondCall.callSid,
          userId: otherPhone,
          summary: 'Wants a callback about a quote',
          keyTopics: ['quote'],
          variables: { city: 'Springfield' },
        },
      });
      const profile = await tx.callerProfile.create({
        data: {
          customerId,
          userId: callerPhone,
          name: 'Pat',
          quickBio: 'Pat | Springfield',
          callCount: 2,
          lastCallAt: new Date(starts[2] as string),
        },
      });
      await tx.callerProfile.create({ data: { customerId, userId: otherPhone, callCount: 1, lastCallAt: new Date(starts[1] as string) } });
      await tx.callSummary.createMany({
        data: [
          { customerId, callSid: uniqueCallSid(), userId: callerPhone, summary: 'Asked about a quote', keyTopics: ['quote'] },
          { customerId, callSid: uniqueCallSid(), userId: otherPhone, summary: 'Someone else', keyTopics: [] },
        ],
      });
      await tx.usageRecord.createMany({
        data: [
          { customerId, kind: 'call_minutes', quantity: '2.5000', occurredAt: new Date('2026-10-01T10:05:00Z') },
          { customerId, kind: 'call_minutes', quantity: '1.2500', occurredAt: new Date('2026-10-02T10:05:00Z') },
          { customerId, kind: 'sms_segments', quantity: '3', occurredAt: new Date('2026-10-02T11:00:00Z') },
          // Outside the queried range:
          { customerId, kind: 'call_minutes', quantity: '100', occurredAt: new Date('2026-11-15T00:00:00Z') },
        ],
      });
      return { customerId, callerPhone, callIds, callerId: profile.id };
    });
  }

  beforeAll(async () => {
    [tenantA, tenantB] = await Promise.all([seedTenant(), seedTenant()]);
    asAdminA = await bearer(
      harness.tokens,
      await createAdmin(harness.platformDb, { memberships: [{ customerId: tenantA.customerId, role: 'admin' }] }),
    );
    asViewerA = await bearer(
      harness.tokens,
      await createAdmin(harness.platformDb, { memberships: [{ customerId: tenantA.customerId, role: 'viewer' }] }),
    );
  });

  const NOT_FOUND = { success: false, error: 'Tenant not found', code: 'NOT_FOUND' };

  describe('isolation', () => {
    it.each([
      ['GET', '/settings'],
      ['PATCH', '/settings'],
      ['GET', '/calls'],
      ['GET', '/callers'],
      ['GET', '/usage?from=2026-10-01&to=2026-11-01'],
      ['GET', '/audit-log'],
    ])("answers %s B%s to A's admin with the same 404 as a tenant that does not exist", async (method, suffix) => {
      for (const customerId of [tenantB.customerId, 2147483000, 'abc']) {
        const path = `/v1/tenants/${customerId}${suffix}`;
        const call = method === 'GET' ? request(harness.app).get(path) : request(harness.app).patch(path).send({ agent_name: 'Hijack' });
        const response = await call.set('authorization', asAdminA);
        expect(response.status).toBe(404);
        expect(response.body).toEqual(NOT_FOUND);
      }
    });

    it("answers B's call and caller ids under A's tenant with 404", async () => {
      const call = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/calls/${tenantB.callIds[0]}`)
        .set('authorization', asAdminA);
      expect(call.status).toBe(404);
      expect(call.body).toEqual({ success: false, error: `Call ${tenantB.callIds[0]} not found`, code: 'NOT_FOUND' });
      const caller = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/callers/${tenantB.callerId}`)
        .set('authorization', asAdminA);
      expect(caller.status).toBe(404);
    });

    it('gives a platform admin without a membership the same 404 (platform routes are the cross-tenant path)', async () => {
      const platformAdmin = await createAdmin(harness.platformDb, { isPlatformAdmin: true });
      const response = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/settings`)
        .set('authorization', await bearer(harness.tokens, platformAdmin));
      expect(response.status).toBe(404);
      expect(response.body).toEqual(NOT_FOUND);
    });

    it('refuses a request without a token with 401', async () => {
      const response = await request(harness.app).get(`/v1/tenants/${tenantA.customerId}/settings`);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        success: false,
        error: 'Not signed in: send an access token, an API key or the session cookie',
        code: 'UNAUTHENTICATED',
      });
    });
  });

  describe('calls', () => {
    it("lists only the tenant's calls, newest first, page by page", async () => {
      const first = await request(harness.app).get(`/v1/tenants/${tenantA.customerId}/calls?limit=2`).set('authorization', asViewerA);
      expect(first.status).toBe(200);
      expect(first.body.calls.map((call: { id: string }) => call.id)).toEqual([tenantA.callIds[2], tenantA.callIds[1]]);
      expect(first.body.next_cursor).toEqual(expect.any(String));

      const second = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/calls`)
        .query({ limit: 2, cursor: first.body.next_cursor })
        .set('authorization', asViewerA);
      expect(second.body.calls.map((call: { id: string }) => call.id)).toEqual([tenantA.callIds[0]]);
      expect(second.body.next_cursor).toBeNull();
    });

    it('filters by caller and date range', async () => {
      const byCaller = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/calls`)
        .query({ caller: tenantA.callerPhone })
        .set('authorization', asViewerA);
      expect(byCaller.body.calls.map((call: { id: string }) => call.id)).toEqual([tenantA.callIds[2], tenantA.callIds[0]]);

      const byDate = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/calls`)
        .query({ from: '2026-10-02', to: '2026-10-03T00:00:00Z' })
        .set('authorization', asViewerA);
      expect(byDate.body.calls.map((call: { id: string }) => call.id)).toEqual([tenantA.callIds[1]]);

      const badDate = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/calls?from=yesterday`)
        .set('authorization', asViewerA);
      expect(badDate.status).toBe(400);
      expect(badDate.body.details).toEqual([
        { path: 'query.from', message: 'must be an ISO-8601 date (2026-11-01) or date-time with offset (2026-11-01T09:00:00Z)' },
      ]);
    });

    it('returns one call with its turns in order', async () => {
      const response = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/calls/${tenantA.callIds[0]}`)
        .set('authorization', asViewerA);
      expect(response.status).toBe(200);
      expect(response.body.call).toMatchObject({ id: tenantA.callIds[0], from_number: tenantA.callerPhone, status: 'completed' });
      expect(response.body.call.turns.map((turn: { turn_index: number; role: string }) => [turn.turn_index, turn.role])).toEqual([
        [0, 'user'],
        [1, 'assistant'],
      ]);
      expect(response.body.call.summary).toBeNull();
      expect(response.body.call).not.toHaveProperty('customer_id');

      const summarized = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/calls/${tenantA.callIds[1]}`)
        .set('authorization', asViewerA);
      expect(summarized.status).toBe(200);
      expect(summarized.body.call.summary).toEqual({
        status: 'completed',
        summary: 'Wants a callback about a quote',
        key_topics: ['quote'],
        extracted: { city: 'Springfield' },
        created_at: expect.any(String),
      });
    });
  });

  describe('callers', () => {
    it("lists only the tenant's callers, most recent call first, and shows one with its summaries", async () => {
      const list = await request(harness.app).get(`/v1/tenants/${tenantA.customerId}/callers`).set('authorization', asViewerA);
      expect(list.status).toBe(200);
      expect(list.body.callers).toHaveLength(2);
      expect(list.body.callers[0]).toMatchObject({
        id: tenantA.callerId,
        phone: tenantA.callerPhone,
        quick_bio: 'Pat | Springfield',
        last_call_at: '2026-10-03T10:00:00.000Z',
      });

      const paged = await request(harness.app).get(`/v1/tenants/${tenantA.customerId}/callers?limit=1`).set('authorization', asViewerA);
      const rest = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/callers`)
        .query({ limit: 1, cursor: paged.body.next_cursor })
        .set('authorization', asViewerA);
      expect([...paged.body.callers, ...rest.body.callers].map((caller: { id: string }) => caller.id)).toEqual(
        list.body.callers.map((caller: { id: string }) => caller.id),
      );

      const one = await request(harness.app)
        .get(`/v1/tenants/${tenantA.customerId}/callers/${tenantA.callerId}`)
        .set('authorization', asViewerA);
      expect(one.status).toBe(200);
      expect(one.body.caller.recent_summaries).toEqual([
        { call_sid: expect.any(String), summary: 'Asked about a quote', key_topics: ['quote'], created_at: expect.any(String) },
      ]);
    });
  });

  it("sums only the tenant's usage by kind over the range", async () => {
    const response = await request(harness.app)
      .get(`/v1/tenants/${tenantA.customerId}/usage`)
      .query({ from: '2026-10-01', to: '2026-11-01' })
      .set('authorization', asViewerA);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      success: true,
      from: '2026-10-01T00:00:00.000Z',
      to: '2026-11-01T00:00:00.000Z',
      usage: [
        { kind: 'call_minutes', quantity: '3.75', records: 2 },
        { kind: 'sms_segments', quantity: '3', records: 1 },
      ],
    });

    const reversed = await request(harness.app)
      .get(`/v1/tenants/${tenantA.customerId}/usage`)
      .query({ from: '2026-11-01', to: '2026-10-01' })
      .set('authorization', asViewerA);
    expect(reversed.status).toBe(400);
    expect(reversed.body.details).toEqual([{ path: 'query.to', message: 'from must be before to' }]);
  });

  describe('settings', () => {
    it('lets a viewer read but not change the settings (403)', async () => {
      const read = await request(harness.app).get(`/v1/tenants/${tenantA.customerId}/settings`).set('authorization', asViewerA);
      expect(read.status).toBe(200);
      const write = await request(harness.app)
        .patch(`/v1/tenants/${tenantA.customerId}/settings`)
        .set('authorization', asViewerA)
        .send({ agent_name: 'Nope' });
      expect(write.status).toBe(403);
      expect(write.body).toEqual({
        success: false,
        error: 'This route needs the admin role for this tenant; you have viewer',
        code: 'FORBIDDEN',
      });
    });

    it('updates the settings and records old and new values in the audit log', async () => {
      const { customerId } = await createTestTenant(harness.platformDb);
      const admin = await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'admin' }] });
      const auth = await bearer(harness.tokens, admin);
      const transfer = uniquePhone();

      const response = await request(harness.app).patch(`/v1/tenants/${customerId}/settings`).set('authorization', auth).send({
        agent_name: 'Robin',
        transfer_number: transfer,
        speech_timeout_seconds: 8,
        sms_ai_reply_enabled: true,
        openai_model: null,
      });
      expect(response.status).toBe(200);
      expect(response.body.settings).toMatchObject({
        customer_id: customerId,
        agent_name: 'Robin',
        transfer_number: transfer,
        speech_timeout_seconds: 8,
        sms_ai_reply_enabled: true,
        openai_model: null,
      });

      const log = await request(harness.app).get(`/v1/tenants/${customerId}/audit-log`).set('authorization', auth);
      expect(log.status).toBe(200);
      expect(log.body.entries).toEqual([
        {
          id: expect.any(String),
          actor: `admin:${admin.principal.id}`,
          action: 'settings.update',
          target: `customer:${customerId}`,
          details: {
            changed: {
              agent_name: { from: 'Alex', to: 'Robin' },
              transfer_number: { from: null, to: transfer },
              speech_timeout_seconds: { from: 5, to: 8 },
              sms_ai_reply_enabled: { from: false, to: true },
            },
          },
          created_at: expect.any(String),
        },
      ]);
    });

    it.each([
      [{ speech_timeout_seconds: 0 }, 'body.speech_timeout_seconds', 'speech_timeout_seconds must be between 1 and 60'],
      [{ speech_timeout_seconds: 2.5 }, 'body.speech_timeout_seconds', 'speech_timeout_seconds must be an integer'],
      [{ sms_rate_limit_per_minute: 100000 }, 'body.sms_rate_limit_per_minute', 'sms_rate_limit_per_minute must be between 1 and 600'],
      [{ transfer_number: 'call me' }, 'body.transfer_number', '"call me" is not a valid phone number'],
      [{ agent_name: '   ' }, 'body.agent_name', 'agent_name must not be empty'],
      [{ sms_ai_reply_enabled: 'yes' }, 'body.sms_ai_reply_enabled', 'sms_ai_reply_enabled must be true or false'],
      [{ openai_model: 'gpt 4; drop' }, 'body.openai_model', 'openai_model must be a model id (letters, digits, . _ : -)'],
      [{ help_text: 'x'.repeat(321) }, 'body.help_text', 'help_text must be at most 320 characters'],
      [{ status: 'active' }, 'body.status', 'status is not an agent setting that can be changed'],
      [{}, 'body', 'at least one setting is required'],
    ])('refuses %j with 400 naming %s and changes nothing', async (body, path, message) => {
      const before = await request(harness.app).get(`/v1/tenants/${tenantA.customerId}/settings`).set('authorization', asAdminA);
      const response = await request(harness.app)
        .patch(`/v1/tenants/${tenantA.customerId}/settings`)
        .set('authorization', asAdminA)
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        success: false,
        error: `Invalid ${path}: ${message}`,
        code: 'VALIDATION_FAILED',
        details: [{ path, message }],
      });
      const after = await request(harness.app).get(`/v1/tenants/${tenantA.customerId}/settings`).set('authorization', asAdminA);
      expect(after.body).toEqual(before.body);
    });

    it('keeps the audit log of A to A', async () => {
      await request(harness.app)
        .patch(`/v1/tenants/${tenantA.customerId}/settings`)
        .set('authorization', asAdminA)
        .send({ greeting: 'Hi there' });
      const rows = await platformRead(harness.platformDb, (tx) =>
        tx.auditLog.findMany({ where: { customerId: tenantB.customerId, action: 'settings.update' } }),
      );
      expect(rows).toEqual([]);
      const viewerLog = await request(harness.app).get(`/v1/tenants/${tenantA.customerId}/audit-log`).set('authorization', asViewerA);
      expect(viewerLog.status).toBe(403);
    });
  });
});

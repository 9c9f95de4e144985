import { createTestTenant } from '@neurosphere/db/testing';
import { useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { bearer, createAdmin, platformRead, startHarness } from './harness';
import type { TestAdmin } from './harness';

// Support access (issue 15): a platform admin opens a time-limited, reasoned, read-only session on
// one tenant; the tenant's owners see it, grant writes or end it; every request in it is in both
// audit logs. (Every route and every session state: the access matrix.)

const harness = useHarness(() => startHarness());
let supportAdmin: TestAdmin;
let asSupport: string;
let asOtherPlatformAdmin: string;
let customerId: number;
let otherCustomerId: number;
let asOwner: string;

const KNOWLEDGE = { address: '1 Support Way', services: ['Quotes'], faq: [] };

beforeAll(async () => {
  [{ customerId }, { customerId: otherCustomerId }] = await Promise.all([
    createTestTenant(harness.platformDb),
    createTestTenant(harness.platformDb),
  ]);
  supportAdmin = await createAdmin(harness.platformDb, { isPlatformAdmin: true });
  asSupport = await bearer(harness.tokens, supportAdmin);
  asOtherPlatformAdmin = await bearer(harness.tokens, await createAdmin(harness.platformDb, { isPlatformAdmin: true }));
  asOwner = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'owner' }] }));
});

const open = (authorization: string, tenant: number, body: object) =>
  request(harness.app).post(`/v1/platform/tenants/${tenant}/support-sessions`).set('authorization', authorization).send(body);
const REASON = 'Ticket 4711: the owner says calls go unanswered';

describe('support sessions', () => {
  it('refuses a session without a real reason, longer than 60 minutes, or on a tenant that does not exist', async () => {
    const tooLong = await open(asSupport, customerId, { reason: REASON, duration_minutes: 61 });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body.details)).toContain('duration_minutes must be at most 60');
    const noReason = await open(asSupport, customerId, { reason: 'help', duration_minutes: 10 });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body.details)).toContain('reason must be at least 10 characters');
    expect((await open(asSupport, 2_000_000_000, { reason: REASON })).status).toBe(404);
  });

  it('lets the admin read the tenant (audited twice), refuses writes until an owner grants them, and ends', async () => {
    // No session yet: the tenant answers like for any outsider.
    expect((await request(harness.app).get(`/v1/tenants/${customerId}/calls`).set('authorization', asSupport)).status).toBe(404);

    const opened = await open(asSupport, customerId, { reason: REASON, duration_minutes: 20 });
    expect(opened.status).toBe(201);
    const session = opened.body.session;
    expect(session).toMatchObject({
      customer_id: customerId,
      admin_user_id: supportAdmin.principal.id,
      admin_email: supportAdmin.email,
      reason: REASON,
      status: 'open',
      writes_allowed: false,
    });
    expect(new Date(session.expires_at).getTime() - new Date(session.opened_at).getTime()).toBe(20 * 60_000);
    expect((await open(asSupport, customerId, { reason: REASON })).status).toBe(409);

    const read = await request(harness.app).get(`/v1/tenants/${customerId}/calls`).set('authorization', asSupport);
    expect(read.status).toBe(200);
    const audited = await platformRead(harness.platformDb, (tx) =>
      Promise.all([
        tx.auditLog.findMany({ where: { customerId, action: 'support.read', target: `support_session:${session.id}` } }),
        tx.platformAuditLog.findMany({ where: { customerId, action: 'support.read', actor: `admin:${supportAdmin.principal.id}` } }),
      ]),
    );
    expect(audited[0].map((row) => row.details)).toEqual([
      { support_session_id: session.id, method: 'GET', path: `/v1/tenants/${customerId}/calls` },
    ]);
    expect(audited[1].map((row) => row.reason)).toEqual([REASON]);

    // Only the tenant of the session, and writes are refused with a message saying why.
    expect((await request(harness.app).get(`/v1/tenants/${otherCustomerId}/calls`).set('authorization', asSupport)).status).toBe(404);
    const write = await request(harness.app).put(`/v1/tenants/${customerId}/knowledge`).set('authorization', asSupport).send(KNOWLEDGE);
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ success: false, code: 'FORBIDDEN', error: expect.stringContaining('read-only') as unknown });

    // The owner sees the session, and grants writes for it.
    const listed = await request(harness.app).get(`/v1/tenants/${customerId}/support-sessions`).set('authorization', asOwner);
    expect(listed.status).toBe(200);
    expect(listed.body.sessions).toEqual([session]);
    const granted = await request(harness.app)
      .put(`/v1/tenants/${customerId}/support-sessions/${session.id}/writes`)
      .set('authorization', asOwner)
      .send({ allowed: true });
    expect(granted.status).toBe(200);
    expect(granted.body.session).toMatchObject({ writes_allowed: true, writes_granted_by: expect.stringMatching(/^admin:/) as unknown });

    const allowed = await request(harness.app).put(`/v1/tenants/${customerId}/knowledge`).set('authorization', asSupport).send(KNOWLEDGE);
    expect(allowed.status).toBe(200);
    const writes = await platformRead(harness.platformDb, (tx) =>
      tx.auditLog.count({ where: { customerId, action: 'support.write', target: `support_session:${session.id}` } }),
    );
    expect(writes).toBe(1);
    // Owner-only routes stay closed even with writes granted (the session cannot extend itself).
    const ownerOnly = await request(harness.app)
      .put(`/v1/tenants/${customerId}/support-sessions/${session.id}/writes`)
      .set('authorization', asSupport)
      .send({ allowed: true });
    expect(ownerOnly.status).toBe(403);

    const ended = await request(harness.app)
      .post(`/v1/tenants/${customerId}/support-sessions/${session.id}/end`)
      .set('authorization', asOwner);
    expect(ended.status).toBe(200);
    expect(ended.body.session).toMatchObject({ status: 'ended', ended_by: expect.stringMatching(/^admin:/) as unknown });
    expect((await request(harness.app).get(`/v1/tenants/${customerId}/calls`).set('authorization', asSupport)).status).toBe(404);
    expect(
      (await request(harness.app).post(`/v1/tenants/${customerId}/support-sessions/${session.id}/end`).set('authorization', asOwner))
        .status,
    ).toBe(409);
  });

  it('is ended by the admin who opened it, not by another platform admin, and listed across tenants', async () => {
    const opened = await open(asSupport, otherCustomerId, { reason: REASON, duration_minutes: 5 });
    expect(opened.status).toBe(201);
    const sessionId: string = opened.body.session.id;
    const openNow = await request(harness.app)
      .get(`/v1/platform/support-sessions?customer_id=${otherCustomerId}&open=true`)
      .set('authorization', asOtherPlatformAdmin);
    expect(openNow.body.sessions.map((session: { id: string }) => session.id)).toEqual([sessionId]);

    const endPath = `/v1/platform/tenants/${otherCustomerId}/support-sessions/${sessionId}/end`;
    expect((await request(harness.app).post(endPath).set('authorization', asOtherPlatformAdmin)).status).toBe(403);
    const ended = await request(harness.app).post(endPath).set('authorization', asSupport);
    expect(ended.status).toBe(200);
    expect(ended.body.session).toMatchObject({ status: 'ended', ended_by: `admin:${supportAdmin.principal.id}` });
    expect((await request(harness.app).get(`/v1/tenants/${otherCustomerId}/calls`).set('authorization', asSupport)).status).toBe(404);
    const stillOpen = await request(harness.app)
      .get(`/v1/platform/support-sessions?customer_id=${otherCustomerId}&open=true`)
      .set('authorization', asSupport);
    expect(stillOpen.body.sessions).toEqual([]);
  });
});

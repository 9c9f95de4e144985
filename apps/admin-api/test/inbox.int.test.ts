import { withTenant } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import { uniqueCallSid, uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { bearer, createAdmin, startHarness } from './harness';
import type { TestAdmin } from './harness';

describe('inbox', () => {
  const harness = useHarness(startHarness);
  let customerId: number;
  let otherCustomerId: number;
  let otherItemId: string;
  let admin: TestAdmin;
  let asAdmin: string;
  let asViewer: string;
  const callerPhone = uniquePhone();
  const callSid = uniqueCallSid();
  const ids: Record<'oldMessage' | 'callback' | 'urgentCallback', string> = { oldMessage: '', callback: '', urgentCallback: '' };
  let callId: string;
  let callerId: string;

  beforeAll(async () => {
    ({ customerId } = await createTestTenant(harness.platformDb));
    ({ customerId: otherCustomerId } = await createTestTenant(harness.platformDb));
    await withTenant(harness.db, customerId, async (tx) => {
      callId = (
        await tx.call.create({ data: { customerId, callSid, fromNumber: callerPhone, toNumber: uniquePhone(), status: 'completed' } })
      ).id;
      callerId = (await tx.callerProfile.create({ data: { customerId, userId: callerPhone, name: 'Pat' } })).id;
      const create = (data: {
        kind: 'message' | 'callback';
        message: string;
        createdAt: string;
        urgency?: 'high';
        callerNumber?: string;
      }) =>
        tx.callMessage.create({ data: { customerId, callSid, callerNumber: callerPhone, ...data, createdAt: new Date(data.createdAt) } });
      ids.oldMessage = (
        await create({ kind: 'message', message: 'The gate code changed', createdAt: '2026-10-01T09:00:00Z', callerNumber: uniquePhone() })
      ).id;
      ids.callback = (await create({ kind: 'callback', message: 'Quote for a roof', createdAt: '2026-10-02T09:00:00Z' })).id;
      ids.urgentCallback = (
        await create({ kind: 'callback', message: 'Water leak', createdAt: '2026-10-03T09:00:00Z', urgency: 'high' })
      ).id;
    });
    otherItemId = await withTenant(
      harness.db,
      otherCustomerId,
      async (tx) =>
        (
          await tx.callMessage.create({
            data: { customerId: otherCustomerId, kind: 'message', callerNumber: uniquePhone(), message: 'Other tenant' },
          })
        ).id,
    );
    admin = await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'admin' }] });
    asAdmin = await bearer(harness.tokens, admin);
    asViewer = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'viewer' }] }));
  });

  const path = (suffix = '') => `/v1/tenants/${customerId}/inbox${suffix}`;

  it('lists the items newest first with the caller, the call and the reason, page by page', async () => {
    const first = await request(harness.app).get(path()).query({ limit: 2 }).set('authorization', asViewer);
    expect(first.status).toBe(200);
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual([ids.urgentCallback, ids.callback]);
    expect(first.body.items[0]).toMatchObject({
      kind: 'callback',
      caller: { phone: callerPhone, name: null, caller_id: callerId },
      reason: 'Water leak',
      urgency: 'high',
      status: 'new',
      assignee_id: null,
      call: { id: callId, call_sid: callSid },
      notes: [],
      done_at: null,
    });
    const second = await request(harness.app)
      .get(path())
      .query({ limit: 2, cursor: first.body.next_cursor })
      .set('authorization', asViewer);
    expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([ids.oldMessage]);
    expect(second.body.next_cursor).toBeNull();
  });

  it('filters by kind, urgency, caller and assignee', async () => {
    const ofQuery = async (query: Record<string, string>) =>
      (await request(harness.app).get(path()).query(query).set('authorization', asViewer)).body.items.map(
        (item: { id: string }) => item.id,
      );
    expect(await ofQuery({ kind: 'message' })).toEqual([ids.oldMessage]);
    expect(await ofQuery({ urgency: 'high' })).toEqual([ids.urgentCallback]);
    expect(await ofQuery({ caller: callerPhone })).toEqual([ids.urgentCallback, ids.callback]);
    expect(await ofQuery({ assignee: admin.principal.id })).toEqual([]);
    const bad = await request(harness.app).get(path()).query({ status: 'archived' }).set('authorization', asViewer);
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(bad.body.details)).toContain('status');
  });

  it('works an item: assign, in progress, note, done; counts follow and every change is audited', async () => {
    const before = (await request(harness.app).get(path('/counts')).set('authorization', asViewer)).body.counts;
    const assigned = await request(harness.app)
      .patch(path(`/${ids.callback}`))
      .send({ status: 'in_progress', assignee_id: admin.principal.id })
      .set('authorization', asAdmin);
    expect(assigned.status).toBe(200);
    expect(assigned.body.item).toMatchObject({ status: 'in_progress', assignee_id: admin.principal.id });

    const noted = await request(harness.app)
      .post(path(`/${ids.callback}/notes`))
      .send({ body: 'Left a voicemail' })
      .set('authorization', asAdmin);
    expect(noted.status).toBe(201);
    expect(noted.body.item.notes).toEqual([
      { id: expect.any(String), author: `admin:${admin.principal.id}`, body: 'Left a voicemail', created_at: expect.any(String) },
    ]);

    const done = await request(harness.app)
      .patch(path(`/${ids.callback}`))
      .send({ status: 'done' })
      .set('authorization', asAdmin);
    expect(done.body.item).toMatchObject({ status: 'done', done_at: expect.any(String) });
    const after = (await request(harness.app).get(path('/counts')).set('authorization', asViewer)).body.counts;
    expect(after).toEqual({ new: before.new - 1, in_progress: before.in_progress, done: before.done + 1 });

    const mine = await request(harness.app).get(path()).query({ assignee: admin.principal.id }).set('authorization', asViewer);
    expect(mine.body.items.map((item: { id: string }) => item.id)).toEqual([ids.callback]);
    const audit = await withTenant(harness.db, customerId, (tx) =>
      tx.auditLog.findMany({ where: { customerId, target: `inbox_item:${ids.callback}` }, orderBy: { createdAt: 'asc' } }),
    );
    expect(audit.map((row) => [row.action, row.details])).toEqual([
      ['inbox_item.updated', { status: { from: 'new', to: 'in_progress' }, assignee_id: { from: null, to: admin.principal.id } }],
      ['inbox_item.updated', { status: { from: 'in_progress', to: 'done' } }],
    ]);
  });

  it('refuses an assignee who is not on the team, an empty change, and a viewer who writes', async () => {
    const stranger = await createAdmin(harness.platformDb, { memberships: [{ customerId: otherCustomerId, role: 'owner' }] });
    const notMember = await request(harness.app)
      .patch(path(`/${ids.oldMessage}`))
      .send({ assignee_id: stranger.principal.id })
      .set('authorization', asAdmin);
    expect(notMember.status).toBe(400);
    expect(notMember.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'body.assignee_id', message: 'assignee_id is not a member of this team' }],
    });
    const empty = await request(harness.app)
      .patch(path(`/${ids.oldMessage}`))
      .send({})
      .set('authorization', asAdmin);
    expect(empty.status).toBe(400);
    const viewer = await request(harness.app)
      .patch(path(`/${ids.oldMessage}`))
      .send({ status: 'done' })
      .set('authorization', asViewer);
    expect(viewer.status).toBe(403);
    expect(viewer.body.error).toBe('This route needs the admin role for this tenant; you have viewer');
  });

  it("answers another tenant's item with 404 and changes nothing", async () => {
    for (const response of [
      await request(harness.app)
        .get(path(`/${otherItemId}`))
        .set('authorization', asAdmin),
      await request(harness.app)
        .patch(path(`/${otherItemId}`))
        .send({ status: 'done' })
        .set('authorization', asAdmin),
      await request(harness.app)
        .post(path(`/${otherItemId}/notes`))
        .send({ body: 'x' })
        .set('authorization', asAdmin),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ success: false, error: `Inbox item ${otherItemId} not found`, code: 'NOT_FOUND' });
    }
    const untouched = await withTenant(harness.db, otherCustomerId, (tx) =>
      tx.callMessage.findUnique({ where: { customerId_id: { customerId: otherCustomerId, id: otherItemId } } }),
    );
    expect(untouched).toMatchObject({ status: 'new', notes: [] });
  });
});

import { withTenant } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import { uniquePhone } from '@neurosphere/testing';
import type { FakeServer } from '@neurosphere/testing';
import request from 'supertest';
import { startFakeMemory } from './fake-memory';
import { bearer, createAdmin, startHarness } from './harness';
import type { Harness } from './harness';

describe('callers: edit, note, erase', () => {
  let memory: FakeServer;
  let harness: Harness;
  let customerId: number;
  let callerId: string;
  const callerPhone = uniquePhone();
  let asOwner: string;
  let asAdmin: string;

  beforeAll(async () => {
    const fake = await startFakeMemory();
    memory = fake.server;
    harness = startHarness({ memory: fake.erasure });
    ({ customerId } = await createTestTenant(harness.platformDb));
    callerId = (
      await withTenant(harness.db, customerId, (tx) =>
        tx.callerProfile.create({ data: { customerId, userId: callerPhone, name: 'Pat', variables: { city: 'Boston' } } }),
      )
    ).id;
    asOwner = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'owner' }] }));
    asAdmin = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'admin' }] }));
  });
  afterAll(async () => {
    await harness?.close();
    await memory?.close();
  });

  const path = (suffix = '') => `/v1/tenants/${customerId}/callers/${callerId}${suffix}`;
  const audit = () =>
    withTenant(harness.db, customerId, (tx) =>
      tx.auditLog.findMany({ where: { customerId, target: `caller:${callerId}` }, orderBy: { createdAt: 'asc' } }),
    );

  it("edits the name and the template's fields, refusing unknown fields and wrong types with nothing written", async () => {
    const refused = await request(harness.app)
      .patch(path())
      .send({ variables: { city: 42, shoe_size: 9 } })
      .set('authorization', asAdmin);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      { path: 'body.variables.city', message: 'city must be a string' },
      { path: 'body.variables.shoe_size', message: "shoe_size is not a field of this business's template (fields: city)" },
    ]);
    const edited = await request(harness.app)
      .patch(path())
      .send({ name: 'Pat Lee', variables: { city: 'Springfield' } })
      .set('authorization', asAdmin);
    expect(edited.status).toBe(200);
    expect(edited.body.caller).toMatchObject({ name: 'Pat Lee', variables: { city: 'Springfield' } });
    const cleared = await request(harness.app)
      .patch(path())
      .send({ variables: { city: null } })
      .set('authorization', asAdmin);
    expect(cleared.body.caller.variables).toEqual({});
    expect((await audit()).map((row) => [row.action, row.details])).toEqual([
      ['caller.updated', { fields: ['name', 'city'] }],
      ['caller.updated', { fields: ['city'] }],
    ]);
  });

  it('adds a staff note as a memory the agent will see', async () => {
    const noted = await request(harness.app).post(path('/notes')).send({ body: 'Prefers a call after 5 pm' }).set('authorization', asAdmin);
    expect(noted.status).toBe(201);
    const memories = await withTenant(harness.db, customerId, (tx) => tx.memory.findMany({ where: { customerId, userId: callerPhone } }));
    expect(memories).toEqual([
      expect.objectContaining({ id: noted.body.note.id, content: 'Prefers a call after 5 pm', kind: 'staff_note' }),
    ]);
  });

  it('erases only for an owner who repeats the phone number, through the memory service, and audits it', async () => {
    const asAdminRole = await request(harness.app).post(path('/erase')).send({ confirm_phone: callerPhone }).set('authorization', asAdmin);
    expect(asAdminRole.status).toBe(403);
    const unconfirmed = await request(harness.app)
      .post(path('/erase'))
      .send({ confirm_phone: uniquePhone() })
      .set('authorization', asOwner);
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.details).toEqual([
      { path: 'body.confirm_phone', message: "confirm_phone must be the caller's phone number exactly as shown" },
    ]);
    expect(memory.requests).toHaveLength(0);

    const erased = await request(harness.app).post(path('/erase')).send({ confirm_phone: callerPhone }).set('authorization', asOwner);
    expect(erased.status).toBe(200);
    expect(erased.body.deleted).toMatchObject({ caller_profiles: 1, memories: 2 });
    expect(memory.requests).toHaveLength(1);
    expect(memory.requests[0]).toMatchObject({ method: 'DELETE', path: `/v2/callers/${callerPhone}` });
    expect(memory.requests[0]!.query.get('customer_id')).toBe(String(customerId));
    expect(memory.requests[0]!.headers.authorization).toMatch(/^Bearer /);
    expect((await audit()).map((row) => row.action)).toContain('caller.erased');
  });

  it("answers another tenant's caller with 404", async () => {
    const { customerId: otherId } = await createTestTenant(harness.platformDb);
    const other = await withTenant(harness.db, otherId, (tx) =>
      tx.callerProfile.create({ data: { customerId: otherId, userId: uniquePhone() } }),
    );
    const response = await request(harness.app)
      .patch(`/v1/tenants/${customerId}/callers/${other.id}`)
      .send({ name: 'X' })
      .set('authorization', asOwner);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ success: false, error: `Caller ${other.id} not found`, code: 'NOT_FOUND' });

    // Neither a note nor an erasure reaches another tenant's caller (memory is never asked).
    const erasuresBefore = memory.requests.length;
    const otherPath = `/v1/tenants/${customerId}/callers/${other.id}`;
    for (const refused of [
      await request(harness.app).post(`${otherPath}/notes`).send({ body: 'Not mine' }).set('authorization', asOwner),
      await request(harness.app).post(`${otherPath}/erase`).send({ confirm_phone: other.userId }).set('authorization', asOwner),
    ]) {
      expect(refused.status).toBe(404);
      expect(refused.body).toEqual({ success: false, error: `Caller ${other.id} not found`, code: 'NOT_FOUND' });
    }
    expect(memory.requests).toHaveLength(erasuresBefore);
    const untouched = await withTenant(harness.db, otherId, async (tx) => ({
      profile: await tx.callerProfile.findUnique({ where: { customerId_id: { customerId: otherId, id: other.id } } }),
      memories: await tx.memory.count({ where: { customerId: otherId, userId: other.userId } }),
    }));
    expect(untouched).toMatchObject({ profile: { name: null }, memories: 0 });
  });
});

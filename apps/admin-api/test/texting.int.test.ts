import { withTenant } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import { uniquePhone, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { bearer, createAdmin, startHarness } from './harness';

describe('texting admin: templates, SMS log, opt-outs', () => {
  const harness = useHarness(startHarness);
  let customerId: number;
  let asAdmin: string;
  let asViewer: string;
  const callerPhone = uniquePhone();
  const businessPhone = uniquePhone();

  beforeAll(async () => {
    ({ customerId } = await createTestTenant(harness.platformDb));
    asAdmin = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'admin' }] }));
    asViewer = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'viewer' }] }));
    await withTenant(harness.db, customerId, (tx) =>
      tx.smsMessage.createMany({
        data: [
          {
            customerId,
            direction: 'outbound',
            fromNumber: businessPhone,
            toNumber: callerPhone,
            body: 'Thanks for calling',
            status: 'delivered',
            createdAt: new Date('2026-10-01T10:00:00Z'),
          },
          {
            customerId,
            direction: 'inbound',
            fromNumber: callerPhone,
            toNumber: businessPhone,
            body: 'Running late',
            status: 'received',
            createdAt: new Date('2026-10-01T11:00:00Z'),
          },
          {
            customerId,
            direction: 'outbound',
            fromNumber: businessPhone,
            toNumber: uniquePhone(),
            body: 'Someone else',
            status: 'failed',
            createdAt: new Date('2026-10-01T12:00:00Z'),
          },
        ],
      }),
    );
  });

  const path = (suffix: string) => `/v1/tenants/${customerId}${suffix}`;

  it('creates, edits and deletes templates, refusing unknown variables and taken names', async () => {
    const unknown = await request(harness.app)
      .post(path('/sms-templates'))
      .send({ name: 'follow-up', body: 'Hi {{name}}, your {{policy_number}}' })
      .set('authorization', asAdmin);
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toEqual([
      { path: 'body.body', message: 'unknown variables {{policy_number}}; known: business_name, agent_name, name, city' },
    ]);

    const created = await request(harness.app)
      .post(path('/sms-templates'))
      .send({ name: 'follow-up', body: 'Hi {{name}} from {{city}}' })
      .set('authorization', asAdmin);
    expect(created.status).toBe(201);
    expect(created.body.template).toMatchObject({ name: 'follow-up', variables: ['name', 'city'] });
    const taken = await request(harness.app)
      .post(path('/sms-templates'))
      .send({ name: 'follow-up', body: 'Again' })
      .set('authorization', asAdmin);
    expect(taken.status).toBe(409);

    const id = created.body.template.id as string;
    const edited = await request(harness.app)
      .patch(path(`/sms-templates/${id}`))
      .send({ body: 'Thanks, {{name}}! {{business_name}}' })
      .set('authorization', asAdmin);
    expect(edited.body.template.variables).toEqual(['name', 'business_name']);
    const viewerWrite = await request(harness.app)
      .delete(path(`/sms-templates/${id}`))
      .set('authorization', asViewer);
    expect(viewerWrite.status).toBe(403);
    expect(
      (
        await request(harness.app)
          .delete(path(`/sms-templates/${id}`))
          .set('authorization', asAdmin)
      ).status,
    ).toBe(200);
    expect((await request(harness.app).get(path('/sms-templates')).set('authorization', asViewer)).body.templates).toEqual([]);
  });

  it('refuses an edit with an unknown variable and keeps the template as it was', async () => {
    const created = await request(harness.app)
      .post(path('/sms-templates'))
      .send({ name: 'reminder', body: 'See you soon, {{name}}' })
      .set('authorization', asAdmin);
    const id = created.body.template.id as string;
    const refused = await request(harness.app)
      .patch(path(`/sms-templates/${id}`))
      .send({ name: 'renamed', body: 'Your {{policy_number}}' })
      .set('authorization', asAdmin);
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([
      { path: 'body.body', message: 'unknown variables {{policy_number}}; known: business_name, agent_name, name, city' },
    ]);
    const stored = await withTenant(harness.db, customerId, (tx) =>
      tx.smsTemplate.findUnique({ where: { customerId_id: { customerId, id } } }),
    );
    expect(stored).toMatchObject({ name: 'reminder', body: 'See you soon, {{name}}' });
    // Gone again, so the template list other tests read is as they left it.
    expect(
      (
        await request(harness.app)
          .delete(path(`/sms-templates/${id}`))
          .set('authorization', asAdmin)
      ).status,
    ).toBe(200);
  });

  it("answers another tenant's template id with 404 and changes nothing", async () => {
    const { customerId: otherId } = await createTestTenant(harness.platformDb);
    const theirs = await withTenant(harness.db, otherId, (tx) =>
      tx.smsTemplate.create({ data: { customerId: otherId, name: 'theirs', body: 'Hi {{name}}' } }),
    );
    const responses = [
      await request(harness.app)
        .patch(path(`/sms-templates/${theirs.id}`))
        .send({ body: 'Mine now' })
        .set('authorization', asAdmin),
      await request(harness.app)
        .delete(path(`/sms-templates/${theirs.id}`))
        .set('authorization', asAdmin),
    ];
    for (const response of responses) {
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ success: false, error: `SMS template ${theirs.id} not found`, code: 'NOT_FOUND' });
    }
    const untouched = await withTenant(harness.db, otherId, (tx) =>
      tx.smsTemplate.findUnique({ where: { customerId_id: { customerId: otherId, id: theirs.id } } }),
    );
    expect(untouched).toMatchObject({ name: 'theirs', body: 'Hi {{name}}' });
  });

  it('filters the SMS log by caller, direction and status', async () => {
    const bodies = async (query: Record<string, string>) =>
      (await request(harness.app).get(path('/sms-messages')).query(query).set('authorization', asViewer)).body.messages.map(
        (message: { body: string }) => message.body,
      );
    expect(await bodies({ caller: callerPhone })).toEqual(['Running late', 'Thanks for calling']);
    expect(await bodies({ caller: callerPhone, direction: 'outbound' })).toEqual(['Thanks for calling']);
    expect(await bodies({ status: 'failed' })).toEqual(['Someone else']);
  });

  it('adds opt-outs, and has no way for staff to opt a number back in', async () => {
    const added = await request(harness.app).post(path('/sms-opt-outs')).send({ phone: callerPhone }).set('authorization', asAdmin);
    expect(added.status).toBe(200);
    const again = await request(harness.app).post(path('/sms-opt-outs')).send({ phone: callerPhone }).set('authorization', asAdmin);
    expect(again.body.opt_out).toEqual(added.body.opt_out);
    const list = await request(harness.app).get(path('/sms-opt-outs')).set('authorization', asViewer);
    expect(list.body.opt_outs).toEqual([added.body.opt_out]);
    for (const attempt of [
      request(harness.app).delete(path('/sms-opt-outs')).send({ phone: callerPhone }),
      request(harness.app).delete(path(`/sms-opt-outs/${encodeURIComponent(callerPhone)}`)),
    ]) {
      expect((await attempt.set('authorization', asAdmin)).status).toBe(404);
    }
    expect((await request(harness.app).get(path('/sms-opt-outs')).set('authorization', asViewer)).body.opt_outs).toHaveLength(1);
  });
});

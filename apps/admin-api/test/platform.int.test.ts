import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import { createTestTenant } from '@neurosphere/db/testing';
import { uniqueSuffix, useHarness } from '@neurosphere/testing';
import request from 'supertest';
import { bearer, createAdmin, startHarness, platformRead } from './harness';
import type { TestAdmin } from './harness';

function templateDefinition(industry: string, version: number, name = 'Test template'): IndustryTemplateDefinition {
  return {
    industry,
    version,
    name,
    fields: [{ key: 'city', label: 'City', type: 'string', hint: 'Where the caller lives.' }],
    promptFragments: { role: 'You answer the phone for a test business.', guidelines: ['Be brief.'] },
    quickBio: { format: '{{name}} | {{city}}' },
  };
}

describe('platform routes', () => {
  const harness = useHarness(startHarness);
  let platformAdmin: TestAdmin;
  let asPlatform: string;

  beforeAll(async () => {
    platformAdmin = await createAdmin(harness.platformDb, { isPlatformAdmin: true });
    asPlatform = await bearer(harness.tokens, platformAdmin);
  });

  describe('authorization', () => {
    let asOwner: string;
    beforeAll(async () => {
      const { customerId } = await createTestTenant(harness.platformDb);
      asOwner = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'owner' }] }));
    });

    it.each([
      ['GET', '/v1/platform/tenants'],
      ['POST', '/v1/platform/tenants'],
      ['POST', '/v1/platform/tenants/1/suspend'],
      ['POST', '/v1/platform/tenants/1/resume'],
      ['PUT', '/v1/platform/tenants/1/template'],
      ['GET', '/v1/platform/templates'],
      ['POST', '/v1/platform/templates'],
      ['PATCH', '/v1/platform/tenants/1'],
      ['POST', '/v1/platform/tenants/1/offboard'],
      ['GET', '/v1/platform/health/tenants'],
      ['GET', '/v1/platform/tenants/1/available-numbers'],
      ['GET', '/v1/platform/tenants/1/numbers'],
      ['POST', '/v1/platform/tenants/1/numbers'],
      ['POST', '/v1/platform/tenants/1/numbers/+12125550100/move'],
      ['DELETE', '/v1/platform/tenants/1/numbers/+12125550100'],
      ['POST', '/v1/platform/numbers/repair-webhooks'],
      ['GET', '/v1/platform/admins'],
      ['POST', '/v1/platform/admins'],
      ['DELETE', '/v1/platform/admins/00000000-0000-0000-0000-000000000000'],
      ['GET', '/v1/platform/audit-log'],
      ['GET', '/v1/platform/usage?from=2026-01-01&to=2026-02-01'],
      ['GET', '/v1/platform/usage/export?from=2026-01-01&to=2026-02-01'],
    ])('refuses %s %s to a tenant owner with 403', async (method, path) => {
      const agent = request(harness.app);
      const call =
        method === 'GET'
          ? agent.get(path)
          : method === 'PUT'
            ? agent.put(path)
            : method === 'PATCH'
              ? agent.patch(path)
              : method === 'DELETE'
                ? agent.delete(path)
                : agent.post(path);
      const response = await call.set('authorization', asOwner).send({});
      expect(response.status).toBe(403);
      expect(response.body).toEqual({ success: false, error: 'This route needs a platform admin', code: 'FORBIDDEN' });
    });
  });

  it('lists tenants page by page', async () => {
    await createTestTenant(harness.platformDb);
    await createTestTenant(harness.platformDb);
    const first = await request(harness.app).get('/v1/platform/tenants?limit=1').set('authorization', asPlatform);
    expect(first.status).toBe(200);
    expect(first.body.tenants).toHaveLength(1);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const second = await request(harness.app)
      .get(`/v1/platform/tenants?limit=1&cursor=${first.body.next_cursor}`)
      .set('authorization', asPlatform);
    expect(second.status).toBe(200);
    expect(second.body.tenants[0].customer_id).toBeGreaterThan(first.body.tenants[0].customer_id);

    const badCursor = await request(harness.app).get('/v1/platform/tenants?cursor=nonsense').set('authorization', asPlatform);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.details).toEqual([{ path: 'query.cursor', message: 'cursor is not one this API returned' }]);
  });

  it('suspends with a message and resumes a tenant, audited on both trails', async () => {
    const { customerId } = await createTestTenant(harness.platformDb);
    const message = 'This line is temporarily unavailable.';

    const missingMessage = await request(harness.app)
      .post(`/v1/platform/tenants/${customerId}/suspend`)
      .set('authorization', asPlatform)
      .send({});
    expect(missingMessage.status).toBe(400);
    expect(missingMessage.body.details).toEqual([{ path: 'body.message', message: 'message is required' }]);

    const suspended = await request(harness.app)
      .post(`/v1/platform/tenants/${customerId}/suspend`)
      .set('authorization', asPlatform)
      .send({ message });
    expect(suspended.status).toBe(200);
    expect(suspended.body.tenant).toMatchObject({ customer_id: customerId, status: 'suspended', suspended_message: message });

    const resumed = await request(harness.app).post(`/v1/platform/tenants/${customerId}/resume`).set('authorization', asPlatform);
    expect(resumed.status).toBe(200);
    expect(resumed.body.tenant).toMatchObject({ status: 'active', suspended_message: null });

    const audit = await platformRead(harness.platformDb, async (tx) => ({
      platform: await tx.platformAuditLog.findMany({
        where: { customerId, action: { in: ['tenant.suspend', 'tenant.resume'] } },
        orderBy: { createdAt: 'asc' },
      }),
      tenant: await tx.auditLog.findMany({ where: { customerId }, orderBy: { createdAt: 'asc' } }),
    }));
    expect(audit.platform.map((row) => [row.action, row.reason])).toEqual([
      ['tenant.suspend', message],
      ['tenant.resume', null],
    ]);
    expect(audit.tenant.map((row) => row.action)).toEqual(['tenant.suspend', 'tenant.resume']);

    const unknown = await request(harness.app).post('/v1/platform/tenants/2147483000/resume').set('authorization', asPlatform);
    expect(unknown.status).toBe(404);
  });

  describe('industry templates', () => {
    it('publishes a version once; publishing it again is a 409 and leaves it unchanged', async () => {
      const industry = `t-${uniqueSuffix()}`;
      const first = await request(harness.app)
        .post('/v1/platform/templates')
        .set('authorization', asPlatform)
        .send({ definition: templateDefinition(industry, 1, 'Original') });
      expect(first.status).toBe(201);
      expect(first.body.template_version).toMatchObject({ industry, version: 1, definition: { name: 'Original' } });

      const again = await request(harness.app)
        .post('/v1/platform/templates')
        .set('authorization', asPlatform)
        .send({ definition: templateDefinition(industry, 1, 'Changed') });
      expect(again.status).toBe(409);
      expect(again.body).toEqual({
        success: false,
        error: `Template ${industry} version 1 already exists; published versions are immutable, publish a new version`,
        code: 'CONFLICT',
        details: [{ path: 'body.definition.version', message: `version 1 of ${industry} already exists` }],
      });
      const stored = await platformRead(harness.platformDb, (tx) => tx.industryTemplateVersion.findMany({ where: { industry } }));
      expect(stored).toHaveLength(1);
      expect(stored[0]?.definition).toMatchObject({ name: 'Original' });

      const next = await request(harness.app)
        .post('/v1/platform/templates')
        .set('authorization', asPlatform)
        .send({ definition: templateDefinition(industry, 2, 'Changed') });
      expect(next.status).toBe(201);

      const listed = await request(harness.app).get('/v1/platform/templates').set('authorization', asPlatform);
      expect(
        listed.body.versions.filter((v: { industry: string }) => v.industry === industry).map((v: { version: number }) => v.version),
      ).toEqual([1, 2]);
    });

    it('refuses an invalid definition with 400 naming the field', async () => {
      const definition = { ...templateDefinition(`t-${uniqueSuffix()}`, 1), quickBio: { format: '{{name}} | {{policy}}' } };
      const response = await request(harness.app).post('/v1/platform/templates').set('authorization', asPlatform).send({ definition });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        error: 'Invalid body.definition.quickBio.format: placeholder {{policy}} is not a field key of this template',
      });
    });

    it('moves a tenant to another existing version and refuses a missing one', async () => {
      const industry = `t-${uniqueSuffix()}`;
      for (const version of [1, 2]) {
        const published = await request(harness.app)
          .post('/v1/platform/templates')
          .set('authorization', asPlatform)
          .send({ definition: templateDefinition(industry, version) });
        expect(published.status).toBe(201);
      }
      const { customerId } = await createTestTenant(harness.platformDb);

      const moved = await request(harness.app)
        .put(`/v1/platform/tenants/${customerId}/template`)
        .set('authorization', asPlatform)
        .send({ industry, version: 2 });
      expect(moved.status).toBe(200);
      expect(moved.body.tenant).toMatchObject({ industry, template_version: 2 });

      const missing = await request(harness.app)
        .put(`/v1/platform/tenants/${customerId}/template`)
        .set('authorization', asPlatform)
        .send({ version: 3 });
      expect(missing.status).toBe(400);
      expect(missing.body.details).toEqual([{ path: 'body.version', message: `industry "${industry}" has no template version 3` }]);
    });
  });
});

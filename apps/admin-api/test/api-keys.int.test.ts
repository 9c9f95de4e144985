import { withTenant } from '@neurosphere/db';
import { createTestTenant } from '@neurosphere/db/testing';
import request from 'supertest';
import { bearer, createAdmin, startHarness } from './harness';
import type { Harness } from './harness';

describe('tenant API keys', () => {
  let harness: Harness;
  let customerId: number;
  let otherTenant: number;
  let asOwner: string;

  beforeAll(async () => {
    harness = startHarness();
    [{ customerId }, { customerId: otherTenant }] = await Promise.all([
      createTestTenant(harness.platformDb),
      createTestTenant(harness.platformDb),
    ]);
    asOwner = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'owner' }] }));
  });
  afterAll(() => harness.close());

  const keysPath = (tenant = customerId) => `/v1/tenants/${tenant}/api-keys`;
  const createKey = (body: object) => request(harness.app).post(keysPath()).set('authorization', asOwner).send(body);
  const withKey = (key: string, path: string) => request(harness.app).get(path).set('authorization', `Bearer ${key}`);

  it('creates a key shown once, stored only as a hash, that works within its tenant and scopes', async () => {
    const created = await createKey({ name: 'CRM sync', scopes: ['settings:read', 'calls:read', 'calls:read'] });
    expect(created.status).toBe(201);
    const { key, api_key: view } = created.body;
    expect(key).toMatch(new RegExp(`^nsk_${customerId}-[0-9a-f]{32}_[A-Za-z0-9_-]{43}$`));
    expect(view).toMatchObject({ name: 'CRM sync', scopes: ['calls:read', 'settings:read'], last_used_at: null, revoked_at: null });
    expect(key.startsWith(view.prefix)).toBe(true);

    const listed = await request(harness.app).get(keysPath()).set('authorization', asOwner);
    expect(listed.body.api_keys).toEqual([view]);
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(-43));

    expect((await withKey(key, `/v1/tenants/${customerId}/settings`)).status).toBe(200);
    expect((await withKey(key, `/v1/tenants/${customerId}/calls`)).status).toBe(200);
    const used = await withTenant(harness.db, customerId, (tx) =>
      tx.tenantApiKey.findUniqueOrThrow({ where: { customerId_id: { customerId, id: view.id } } }),
    );
    expect(used.lastUsedAt).not.toBeNull();

    const missingScope = await withKey(key, `/v1/tenants/${customerId}/callers`);
    expect(missingScope.body).toEqual({ success: false, code: 'FORBIDDEN', error: 'This API key lacks the scope callers:read' });
    const write = await request(harness.app)
      .patch(`/v1/tenants/${customerId}/settings`)
      .set('authorization', `Bearer ${key}`)
      .send({ agent_name: 'Key' });
    expect(write.body.error).toBe('This API key lacks the scope settings:write');
    const peopleOnly = await withKey(key, `/v1/tenants/${customerId}/members`);
    expect(peopleOnly.body).toEqual({
      success: false,
      code: 'FORBIDDEN',
      error: 'API keys cannot call this route: it needs an admin session',
    });
    expect((await withKey(key, '/v1/auth/me')).status).toBe(403);
    expect((await withKey(key, '/v1/platform/tenants')).status).toBe(403);
    const otherTenantPath = await withKey(key, `/v1/tenants/${otherTenant}/settings`);
    expect(otherTenantPath.body).toEqual({ success: false, code: 'NOT_FOUND', error: 'Tenant not found' });
  });

  it('writes with a write scope, audited as the key', async () => {
    const { body } = await createKey({ name: 'Settings bot', scopes: ['settings:write'] });
    const response = await request(harness.app)
      .patch(`/v1/tenants/${customerId}/settings`)
      .set('authorization', `Bearer ${body.key}`)
      .send({ agent_name: 'Keyed' });
    expect(response.status).toBe(200);
    const audit = await withTenant(harness.db, customerId, (tx) =>
      tx.auditLog.findFirstOrThrow({ where: { customerId, action: 'settings.update' }, orderBy: { createdAt: 'desc' } }),
    );
    expect(audit.actor).toBe(`api_key:${body.api_key.id}`);
  });

  it('revokes a key: it stops working at once; forged and malformed keys are refused', async () => {
    const { body } = await createKey({ name: 'Short-lived', scopes: ['usage:read', 'calls:read'] });
    const revoked = await request(harness.app).delete(`${keysPath()}/${body.api_key.id}`).set('authorization', asOwner);
    expect(revoked.body.api_key.revoked_at).not.toBeNull();
    const invalid = { success: false, code: 'UNAUTHENTICATED', error: 'Invalid or revoked API key' };
    expect((await withKey(body.key, `/v1/tenants/${customerId}/calls`)).body).toEqual(invalid);
    expect((await withKey(`${body.key.slice(0, -3)}AAA`, `/v1/tenants/${customerId}/calls`)).body).toEqual(invalid);
    expect((await withKey('nsk_garbage', `/v1/tenants/${customerId}/calls`)).body).toEqual(invalid);
    expect((await request(harness.app).delete(`${keysPath()}/${body.api_key.id}`).set('authorization', `Bearer ${body.key}`)).status).toBe(
      401,
    );

    const audit = await withTenant(harness.db, customerId, (tx) =>
      tx.auditLog.findMany({ where: { customerId, target: `api_key:${body.api_key.id}` }, orderBy: { createdAt: 'asc' } }),
    );
    expect(audit.map((row) => [row.action, row.details])).toEqual([
      ['api_key.created', { name: 'Short-lived', scopes: ['calls:read', 'usage:read'] }],
      ['api_key.revoked', { name: 'Short-lived' }],
    ]);
    expect(JSON.stringify(audit)).not.toContain(body.key.slice(-43));
  });

  it('names what is wrong with a key request, and lets only owners manage keys', async () => {
    const invalid = await createKey({ name: ' ', scopes: ['calls:read', 'everything'] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details).toEqual([
      { path: 'body.name', message: 'name must not be empty' },
      { path: 'body.scopes.1', message: expect.stringMatching(/^must be one of calls:read, /) },
    ]);
    expect((await createKey({ name: 'No scopes', scopes: [] })).body.details).toEqual([
      { path: 'body.scopes', message: 'scopes must name at least one scope' },
    ]);
    const asAdmin = await bearer(harness.tokens, await createAdmin(harness.platformDb, { memberships: [{ customerId, role: 'admin' }] }));
    expect((await request(harness.app).get(keysPath()).set('authorization', asAdmin)).status).toBe(403);
  });
});

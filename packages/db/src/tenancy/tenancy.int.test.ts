import { uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import { createDb } from '../client/create-db';
import type { Db } from '../client/create-db';
import { createTestTenant, requireTestDatabaseEnv } from '../testing';
import { lookupTenantByNumber } from './lookup-tenant-by-number';
import { PlatformContextError, withPlatform } from './with-platform';
import { TenantContextError, withTenant } from './with-tenant';

const env = requireTestDatabaseEnv();
let appDb: Db;
let platformDb: Db;
let ownerDb: Db;

beforeAll(() => {
  appDb = createDb({ url: env.appUrl, poolMax: 2 });
  platformDb = createDb({ url: env.platformUrl, poolMax: 2 });
  ownerDb = createDb({ url: env.ownerUrl, poolMax: 1 });
});

afterAll(async () => {
  await Promise.all([appDb.$disconnect(), platformDb.$disconnect(), ownerDb.$disconnect()]);
});

describe('withTenant', () => {
  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('rejects customerId %p before any query', async (customerId) => {
    let ran = false;
    await expect(
      withTenant(appDb, customerId, async () => {
        ran = true;
      }),
    ).rejects.toThrow(TenantContextError);
    expect(ran).toBe(false);
  });

  it.each([undefined, null, '1', '', {}])('rejects a non-number customerId (%p) from untyped callers', async (customerId) => {
    await expect(withTenant(appDb, customerId as unknown as number, async () => 1)).rejects.toThrow(
      'withTenant requires customerId to be a positive integer',
    );
  });

  it("sees only the tenant's own rows, and the setting does not outlive the transaction", async () => {
    const [a, b] = await Promise.all([createTestTenant(platformDb), createTestTenant(platformDb)]);
    const userId = uniquePhone();
    for (const tenant of [a, b]) {
      await withTenant(appDb, tenant.customerId, (tx) =>
        tx.memory.create({ data: { customerId: tenant.customerId, userId, content: `fact of ${tenant.customerId}` } }),
      );
    }
    const seenByA = await withTenant(appDb, a.customerId, (tx) => tx.memory.findMany({ where: { userId } }));
    expect(seenByA.map((memory) => memory.content)).toEqual([`fact of ${a.customerId}`]);

    // The same pooled connections, outside withTenant: no tenant, no rows.
    const [setting] = await appDb.$queryRaw<{ value: string | null }[]>`
      select current_setting('app.customer_id', true) as value`;
    expect(setting?.value ?? '').toBe('');
    expect(await appDb.memory.count({ where: { userId } })).toBe(0);
  });

  it('rolls back all work when the callback throws', async () => {
    const { customerId } = await createTestTenant(platformDb);
    const userId = uniquePhone();
    await expect(
      withTenant(appDb, customerId, async (tx) => {
        await tx.memory.create({ data: { customerId, userId, content: 'never committed' } });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await withTenant(appDb, customerId, (tx) => tx.memory.count({ where: { userId } }))).toBe(0);
  });
});

describe('withPlatform', () => {
  it('writes a platform_audit_log row in the same transaction as the work', async () => {
    const { customerId } = await createTestTenant(platformDb);
    const action = `test.audit.${uniqueSuffix()}`;
    const names = await withPlatform(
      platformDb,
      { actor: 'admin:test', action, reason: 'support ticket 42', customerId, details: { ticket: 42 } },
      (tx) => tx.customer.findMany({ where: { id: customerId }, select: { businessName: true } }),
    );
    expect(names).toHaveLength(1);
    const rows = await ownerDb.platformAuditLog.findMany({ where: { action } });
    expect(rows).toEqual([
      expect.objectContaining({
        actor: 'admin:test',
        action,
        reason: 'support ticket 42',
        customerId,
        details: { ticket: 42 },
      }),
    ]);
  });

  it('rolls back the audit row together with failed work', async () => {
    const action = `test.audit.${uniqueSuffix()}`;
    await expect(
      withPlatform(platformDb, { actor: 'admin:test', action }, async () => {
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await ownerDb.platformAuditLog.count({ where: { action } })).toBe(0);
  });

  it('refuses a client that is not connected as the platform role', async () => {
    for (const db of [appDb, ownerDb]) {
      await expect(withPlatform(db, { actor: 'x', action: 'y' }, async () => 1)).rejects.toThrow(PlatformContextError);
    }
    await expect(withPlatform(appDb, { actor: 'x', action: 'y' }, async () => 1)).rejects.toThrow(
      'withPlatform needs a client connected as neurosphere_platform (DATABASE_PLATFORM_URL), not neurosphere_app',
    );
  });

  it('requires an actor and an action', async () => {
    await expect(withPlatform(platformDb, { actor: ' ', action: 'y' }, async () => 1)).rejects.toThrow(
      'withPlatform requires a non-empty actor and action',
    );
    await expect(withPlatform(platformDb, { actor: 'x', action: 'y', customerId: -3 }, async () => 1)).rejects.toThrow(
      'withPlatform customerId must be a positive integer',
    );
  });
});

describe('lookupTenantByNumber', () => {
  it('finds the owning tenant and its status through the app role, without a tenant context', async () => {
    const e164 = uniquePhone();
    const { customerId } = await createTestTenant(platformDb, { phoneNumbers: [e164], status: 'suspended' });
    expect(await lookupTenantByNumber(appDb, e164)).toEqual({ customerId, status: 'suspended' });
    expect(await lookupTenantByNumber(appDb, uniquePhone())).toBeNull();
  });
});

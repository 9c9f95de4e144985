import {
  app,
  APPEND_ONLY,
  asTenant,
  countAll,
  insertRow,
  owner,
  permissionDenied,
  platform,
  rlsViolation,
  ROWS,
  TENANT_TABLES,
  tenantA,
  tenantB,
  TRANSIENT_ROWS,
  TRANSIENT_TABLES,
  useRlsDatabase,
  visibleIds,
} from '../test/rls-harness';
import type { TenantContext } from '../test/rls-harness';
import { SHARED_TABLES } from './distribution/table-placement';

/**
 * Row-level security on every tenant-owned table, checked with raw SQL as the roles themselves:
 * no tenant sees or writes another's rows, and no rows at all without a tenant. What the roles
 * cannot do to get around it is in rls-roles.int.test.ts.
 */

useRlsDatabase();

describe('the set of tenant-owned tables', () => {
  it('is derived from the database and matches the expected tables', async () => {
    const { rows } = await owner.query<{ table_name: string }>(`
      SELECT c.table_name
      FROM information_schema.columns c
      JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND c.column_name = 'customer_id'
        AND c.is_nullable = 'NO' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`);
    const fromDatabase = rows.map((row) => row.table_name).filter((table) => !Object.hasOwn(SHARED_TABLES, table));
    expect(fromDatabase.length).toBeGreaterThan(0);
    expect(fromDatabase).toEqual([...TENANT_TABLES, ...TRANSIENT_TABLES].sort());
  });

  it('has RLS enabled and forced, with an app policy on app.customer_id and a platform policy, on each table and on customers', async () => {
    for (const table of [...TENANT_TABLES, ...TRANSIENT_TABLES, 'customers']) {
      const { rows: flags } = await owner.query<{ relrowsecurity: boolean; relforcerowsecurity: boolean }>(
        `SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = $1::regclass`,
        [`public.${table}`],
      );
      expect({ table, ...flags[0] }).toEqual({ table, relrowsecurity: true, relforcerowsecurity: true });
      const { rows: policies } = await owner.query<{ roles: string[]; cmd: string; qual: string; with_check: string }>(
        `SELECT roles::text[] AS roles, cmd, qual, with_check FROM pg_policies
         WHERE schemaname = 'public' AND tablename = $1 AND 'neurosphere_app' = ANY(roles)`,
        [table],
      );
      expect(policies).toHaveLength(1);
      expect(policies[0]).toMatchObject({ roles: ['neurosphere_app'], cmd: 'ALL' });
      expect(policies[0]!.qual).toContain("current_setting('app.customer_id'::text, true)");
      expect(policies[0]!.with_check).toContain("current_setting('app.customer_id'::text, true)");
      const { rows: platformPolicies } = await owner.query(
        `SELECT 1 FROM pg_policies WHERE schemaname = 'public' AND tablename = $1 AND roles = '{neurosphere_platform}'`,
        [table],
      );
      expect(platformPolicies).toHaveLength(1);
    }
  });
});

describe.each(TENANT_TABLES)('%s', (table) => {
  const build = (tenant: TenantContext, variant: number) => ROWS[table]!(tenant, variant);
  let rowA: { id: string };
  let rowB: { id: string };

  beforeAll(async () => {
    rowA = await insertRow(platform, table, build(tenantA, 0));
    rowB = await insertRow(platform, table, build(tenantB, 0));
  });

  it('shows no rows and accepts no writes without a tenant', async () => {
    expect(await visibleIds(platform, table, [rowA.id, rowB.id])).toEqual([rowA.id, rowB.id].sort());
    expect(await asTenant(null, () => countAll(app, table))).toBe(0);
    expect(await asTenant('', () => countAll(app, table))).toBe(0);
    await expect(asTenant(null, () => insertRow(app, table, build(tenantA, 2)))).rejects.toMatchObject(rlsViolation);
    await expect(asTenant('', () => insertRow(app, table, build(tenantA, 2)))).rejects.toMatchObject(rlsViolation);
    // Outside any transaction the setting of an earlier transaction is gone.
    await asTenant(tenantA.customerId, async () => undefined);
    expect(await countAll(app, table)).toBe(0);
  });

  it("hides and protects tenant B's rows from tenant A", async () => {
    await asTenant(tenantA.customerId, async () => {
      expect(await visibleIds(app, table, [rowA.id, rowB.id])).toEqual([rowA.id]);
    });
    if (APPEND_ONLY.has(table)) {
      await expect(
        asTenant(tenantA.customerId, () => app.query(`UPDATE ${table} SET id = id WHERE id = $1`, [rowB.id])),
      ).rejects.toMatchObject(permissionDenied);
      await expect(asTenant(tenantA.customerId, () => app.query(`DELETE FROM ${table} WHERE id = $1`, [rowB.id]))).rejects.toMatchObject(
        permissionDenied,
      );
    } else {
      const updated = await asTenant(tenantA.customerId, () => app.query(`UPDATE ${table} SET id = id WHERE id = $1`, [rowB.id]));
      expect(updated.rowCount).toBe(0);
      const deleted = await asTenant(tenantA.customerId, () => app.query(`DELETE FROM ${table} WHERE id = $1`, [rowB.id]));
      expect(deleted.rowCount).toBe(0);
      // Moving an own row to another tenant fails the WITH CHECK.
      await expect(
        asTenant(tenantA.customerId, () => app.query(`UPDATE ${table} SET customer_id = $1 WHERE id = $2`, [tenantB.customerId, rowA.id])),
      ).rejects.toMatchObject(rlsViolation);
    }
    await expect(asTenant(tenantA.customerId, () => insertRow(app, table, build(tenantB, 1)))).rejects.toMatchObject(rlsViolation);
    expect(await visibleIds(platform, table, [rowA.id, rowB.id])).toEqual([rowA.id, rowB.id].sort());
  });

  it('lets tenant A write and read its own rows', async () => {
    await asTenant(tenantA.customerId, async () => {
      const inserted = await insertRow(app, table, build(tenantA, 1));
      expect(await visibleIds(app, table, [inserted.id, rowA.id])).toEqual([inserted.id, rowA.id].sort());
      if (!APPEND_ONLY.has(table)) {
        const updated = await app.query(`UPDATE ${table} SET id = id WHERE id = $1`, [rowA.id]);
        expect(updated.rowCount).toBe(1);
      }
    });
  });
});

describe.each(TRANSIENT_TABLES)('%s (rows live only inside their transaction)', (table) => {
  const build = (tenant: TenantContext) => TRANSIENT_ROWS[table]!(tenant, 0);

  it('accepts a tenant its own rows only, shows it its own rows only, and keeps none after commit', async () => {
    await expect(asTenant(null, () => insertRow(app, table, build(tenantA)))).rejects.toMatchObject(rlsViolation);
    await expect(asTenant(tenantA.customerId, () => insertRow(app, table, build(tenantB)))).rejects.toMatchObject(rlsViolation);
    // Within one transaction (the only place such rows exist), each tenant sees its own.
    const scopeTo = (tenant: TenantContext) => app.query(`SELECT set_config('app.customer_id', $1, true)`, [String(tenant.customerId)]);
    await app.query('BEGIN');
    try {
      await scopeTo(tenantA);
      const rowA = await insertRow(app, table, build(tenantA));
      await scopeTo(tenantB);
      const rowB = await insertRow(app, table, build(tenantB));
      expect(await visibleIds(app, table, [rowA.id, rowB.id])).toEqual([rowB.id]);
      await scopeTo(tenantA);
      expect(await visibleIds(app, table, [rowA.id, rowB.id])).toEqual([rowA.id]);
    } finally {
      await app.query('ROLLBACK');
    }
    const committed = await insertRow(platform, table, build(tenantA));
    expect(await visibleIds(platform, table, [committed.id])).toEqual([]);
  });
});

describe('customers as the app role', () => {
  it('shows only the current tenant and allows configuration edits but not status or inserts', async () => {
    await asTenant(tenantA.customerId, async () => {
      const { rows } = await app.query<{ id: number }>(`SELECT id FROM customers WHERE id = ANY($1::int[])`, [
        [tenantA.customerId, tenantB.customerId],
      ]);
      expect(rows.map((row) => row.id)).toEqual([tenantA.customerId]);
      const renamedOther = await app.query(`UPDATE customers SET greeting = 'x' WHERE id = $1`, [tenantB.customerId]);
      expect(renamedOther.rowCount).toBe(0);
      const renamedOwn = await app.query(`UPDATE customers SET greeting = 'x' WHERE id = $1`, [tenantA.customerId]);
      expect(renamedOwn.rowCount).toBe(1);
    });
    expect(await asTenant(null, () => countAll(app, 'customers'))).toBe(0);
    await expect(
      asTenant(tenantA.customerId, () => app.query(`UPDATE customers SET status = 'suspended' WHERE id = $1`, [tenantA.customerId])),
    ).rejects.toMatchObject(permissionDenied);
    await expect(
      asTenant(tenantA.customerId, () => app.query(`DELETE FROM customers WHERE id = $1`, [tenantA.customerId])),
    ).rejects.toMatchObject(permissionDenied);
    await expect(
      asTenant(tenantA.customerId, () =>
        app.query(
          `INSERT INTO customers (business_name, agent_name, greeting, industry, template_version)
           SELECT 'x', 'x', 'x', industry, template_version FROM customers WHERE id = $1`,
          [tenantA.customerId],
        ),
      ),
    ).rejects.toMatchObject(permissionDenied);
  });
});

import { randomUUID } from 'node:crypto';
import { uniquePhone } from '@neurosphere/testing';
import {
  app,
  asTenant,
  countAll,
  insertRow,
  owner,
  permissionDenied,
  platform,
  routedNumber,
  ROWS,
  TENANT_TABLES,
  tenantA,
  tenantB,
  useRlsDatabase,
} from '../test/rls-harness';

/**
 * What the database roles cannot do to get around row-level security, and the one function that
 * reads across tenants (lookup_tenant_by_number). The per-table checks are in rls.int.test.ts.
 */

useRlsDatabase();

describe('the app role cannot get around RLS', () => {
  it('has no dangerous attributes and is not a member of the platform role', async () => {
    const { rows } = await owner.query(
      `SELECT rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication, rolcanlogin,
              pg_has_role(rolname, 'neurosphere_platform', 'MEMBER') AS member_of_platform
       FROM pg_roles WHERE rolname IN ('neurosphere_app', 'neurosphere_platform') ORDER BY rolname`,
    );
    const safe = {
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolcanlogin: true,
    };
    expect(rows).toEqual([
      { rolname: 'neurosphere_app', ...safe, member_of_platform: false },
      { rolname: 'neurosphere_platform', ...safe, member_of_platform: true },
    ]);
  });

  it('owns no tables, sequences, functions, types or schemas (nor does the platform role)', async () => {
    for (const role of ['neurosphere_app', 'neurosphere_platform']) {
      const { rows } = await owner.query<{ owned: number }>(
        `SELECT (SELECT count(*) FROM pg_class WHERE relowner = $1::regrole)
              + (SELECT count(*) FROM pg_proc WHERE proowner = $1::regrole)
              + (SELECT count(*) FROM pg_type WHERE typowner = $1::regrole)
              + (SELECT count(*) FROM pg_namespace WHERE nspowner = $1::regrole) AS owned`,
        [role],
      );
      expect({ role, owned: Number(rows[0]!.owned) }).toEqual({ role, owned: 0 });
    }
  });

  it.each(TENANT_TABLES)('cannot disable, un-force or drop the policies of %s', async (table) => {
    for (const statement of [
      `ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`,
      `DROP POLICY tenant_isolation ON ${table}`,
      `CREATE POLICY sneaky ON ${table} FOR SELECT TO neurosphere_app USING (true)`,
    ]) {
      await expect(asTenant(null, () => app.query(statement))).rejects.toMatchObject(permissionDenied);
    }
  });

  it('cannot SET ROLE or SET SESSION AUTHORIZATION to the platform role', async () => {
    await expect(asTenant(null, () => app.query('SET ROLE neurosphere_platform'))).rejects.toMatchObject({ code: '42501' });
    await expect(asTenant(null, () => app.query('SET SESSION AUTHORIZATION neurosphere_platform'))).rejects.toMatchObject({
      code: '42501',
    });
  });

  it('gets an error, not rows, with row_security = off', async () => {
    for (const customerId of [null, tenantA.customerId]) {
      await expect(
        asTenant(customerId, async () => {
          await app.query('SET LOCAL row_security = off');
          return countAll(app, 'memories');
        }),
      ).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/row-level security/) as unknown });
    }
  });

  it('cannot create objects or read platform tables', async () => {
    await expect(asTenant(null, () => app.query('CREATE TABLE public.sneaky (id int)'))).rejects.toMatchObject(permissionDenied);
    for (const table of [
      '_prisma_migrations',
      'platform_audit_log',
      'admin_users',
      'admin_sessions',
      'admin_refresh_tokens',
      'admin_password_resets',
      'number_routes',
      'onboarding_requests',
    ]) {
      await expect(asTenant(tenantA.customerId, () => countAll(app, table))).rejects.toMatchObject(permissionDenied);
    }
  });

  it('reads global industry templates but cannot change them', async () => {
    expect(await asTenant(null, () => countAll(app, 'industry_template_versions'))).toBeGreaterThan(0);
    await expect(asTenant(null, () => app.query(`UPDATE industry_template_versions SET version = version`))).rejects.toMatchObject(
      permissionDenied,
    );
  });
});

describe('lookup_tenant_by_number', () => {
  it('is a SECURITY DEFINER function with a fixed search_path that the app role did not create', async () => {
    const { rows } = await owner.query(
      `SELECT prosecdef, proconfig, pg_get_userbyid(proowner) <> 'neurosphere_app' AS not_app_owned,
              has_function_privilege('neurosphere_app', oid, 'EXECUTE') AS app_can_execute,
              has_function_privilege('public', oid, 'EXECUTE') AS public_can_execute
       FROM pg_proc WHERE proname = 'lookup_tenant_by_number'`,
    );
    expect(rows).toEqual([
      {
        prosecdef: true,
        proconfig: ['search_path=pg_catalog, public, pg_temp'],
        not_app_owned: true,
        app_can_execute: true,
        public_can_execute: false,
      },
    ]);
  });

  it('finds the tenant of a number without a tenant context, and nothing for unknown numbers', async () => {
    const { rows: numbers } = await platform.query<{ e164: string }>('SELECT e164 FROM phone_numbers WHERE customer_id = $1 LIMIT 1', [
      tenantB.customerId,
    ]);
    const e164 = numbers[0]!.e164;
    const found = await asTenant(null, () => app.query('SELECT * FROM lookup_tenant_by_number($1)', [e164]));
    expect(found.rows).toEqual([{ customer_id: tenantB.customerId, status: 'active' }]);
    const missing = await asTenant(null, () => app.query('SELECT * FROM lookup_tenant_by_number($1)', [uniquePhone()]));
    expect(missing.rows).toEqual([]);
  });

  it('does not let a tenant add a number routed to another tenant, or one nobody routed', async () => {
    const routedToB = routedNumber(tenantB.customerId);
    for (const e164 of [routedToB, uniquePhone()]) {
      await expect(
        asTenant(tenantA.customerId, () => insertRow(app, 'phone_numbers', { customer_id: tenantA.customerId, e164 })),
      ).rejects.toMatchObject({ code: '23503', message: expect.stringMatching(/phone_numbers_customer_id_e164_fkey/) as unknown });
    }
    const found = await asTenant(null, () => app.query('SELECT * FROM lookup_tenant_by_number($1)', [routedToB]));
    expect(found.rows).toEqual([{ customer_id: tenantB.customerId, status: 'active' }]);
  });
});

describe('references between tenant tables', () => {
  it("do not let a tenant log a delivery of another tenant's notification event, or of none", async () => {
    for (const eventId of [tenantB.eventId, randomUUID()]) {
      await expect(
        asTenant(tenantA.customerId, () =>
          insertRow(app, 'notification_deliveries', { ...ROWS.notification_deliveries!(tenantA, 0), event_id: eventId }),
        ),
      ).rejects.toMatchObject({
        code: '23503',
        message: expect.stringMatching(/notification_deliveries_customer_id_event_id_fkey/) as unknown,
      });
    }
  });
});

describe('the platform role', () => {
  it('cannot rewrite the platform audit trail', async () => {
    await expect(platform.query('UPDATE platform_audit_log SET reason = reason')).rejects.toMatchObject(permissionDenied);
    await expect(platform.query('DELETE FROM platform_audit_log')).rejects.toMatchObject(permissionDenied);
  });
});

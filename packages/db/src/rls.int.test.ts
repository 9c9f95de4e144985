import { randomInt } from 'node:crypto';
import { Client } from 'pg';
import { createDb } from './client/create-db';
import type { Db } from './client/create-db';
import {
  createTestAdminUser,
  createTestTenant,
  requireTestDatabaseEnv,
  uniqueCallSid,
  uniqueE164,
  uniqueSuffix,
} from './testing';

/**
 * Row-level security, checked with raw SQL as the roles themselves. The list of tenant-owned
 * tables comes from the database (every table with a NOT NULL customer_id column) and must equal
 * the tables this file knows how to fill, so a new tenant table without a row builder here (and
 * without RLS in its migration) fails this suite.
 */

interface TenantContext {
  customerId: number;
  callId: string;
}

type Row = Record<string, unknown>;
type RowBuilder = (tenant: TenantContext, variant: number) => Row;

let adminUserIds: string[] = [];
const providers = ['openai', 'elevenlabs', 'twilio'] as const;

const ROWS: Record<string, RowBuilder> = {
  phone_numbers: (t) => ({ customer_id: t.customerId, e164: uniqueE164() }),
  tenant_credentials: (t, variant) => ({
    customer_id: t.customerId,
    provider: providers[variant % providers.length],
    account_identifier: `AC${uniqueSuffix()}`,
    secret_ciphertext: '\\x0102',
    secret_iv: '\\x03',
    secret_auth_tag: '\\x04',
    key_id: 'k1',
  }),
  memories: (t) => ({ customer_id: t.customerId, user_id: uniqueE164(), content: 'Prefers morning calls' }),
  call_summaries: (t) => ({
    customer_id: t.customerId,
    call_sid: uniqueCallSid(),
    user_id: uniqueE164(),
    summary: 'Asked about renewal',
  }),
  caller_profiles: (t) => ({ customer_id: t.customerId, user_id: uniqueE164(), name: 'Sam' }),
  // The memory read model; its triggers write it, but RLS must hold for any writer.
  caller_contexts: (t) => ({ customer_id: t.customerId, user_id: uniqueE164(), context: { profile: null } }),
  personality_metrics: (t) => ({
    customer_id: t.customerId,
    call_sid: uniqueCallSid(),
    user_id: uniqueE164(),
    scores: { warmth: 70 },
  }),
  personality_averages: (t) => ({
    customer_id: t.customerId,
    user_id: uniqueE164(),
    averages: { warmth: 70 },
    sample_count: 1,
  }),
  calls: (t) => ({
    customer_id: t.customerId,
    call_sid: uniqueCallSid(),
    from_number: uniqueE164(),
    to_number: uniqueE164(),
  }),
  call_turns: (t) => ({
    customer_id: t.customerId,
    call_id: t.callId,
    turn_index: randomInt(0, 2 ** 31 - 1),
    role: 'user',
    text: 'Hello?',
  }),
  call_messages: (t) => ({
    customer_id: t.customerId,
    kind: 'callback',
    caller_number: uniqueE164(),
    message: 'Please call back',
  }),
  sms_messages: (t) => ({
    customer_id: t.customerId,
    direction: 'outbound',
    from_number: uniqueE164(),
    to_number: uniqueE164(),
    body: 'Hi',
    status: 'queued',
    idempotency_key: uniqueSuffix(),
  }),
  sms_opt_outs: (t) => ({ customer_id: t.customerId, phone: uniqueE164(), keyword: 'STOP' }),
  sms_templates: (t) => ({ customer_id: t.customerId, name: `template-${uniqueSuffix()}`, body: 'Hi {{name}}' }),
  memberships: (t, variant) => ({
    customer_id: t.customerId,
    admin_user_id: adminUserIds[variant],
    role: 'viewer',
  }),
  audit_log: (t) => ({ customer_id: t.customerId, actor: 'test', action: 'test.write' }),
  usage_records: (t) => ({ customer_id: t.customerId, kind: 'call_minutes', quantity: 1.25 }),
  tenant_invitations: (t) => ({
    customer_id: t.customerId,
    email: `invitee-${uniqueSuffix()}@test.example`,
    role: 'viewer',
    secret_hash: '\\x01',
    invited_by: 'test',
    expires_at: '2030-01-01T00:00:00Z',
  }),
};
const TENANT_TABLES = Object.keys(ROWS).sort();
/**
 * Tenant tables whose rows live only inside the transaction that wrote them: a deferred trigger
 * consumes them at commit (caller_context_refreshes, the memory read model's notes). They get the
 * same policies, checked inside one transaction below instead of by the per-table suite.
 */
const TRANSIENT_ROWS: Record<string, RowBuilder> = {
  caller_context_refreshes: (t) => ({ customer_id: t.customerId, user_id: uniqueE164() }),
};
const TRANSIENT_TABLES = Object.keys(TRANSIENT_ROWS).sort();
/** Append-only for the app role: UPDATE/DELETE are not granted at all. */
const APPEND_ONLY = new Set(['audit_log']);

const env = requireTestDatabaseEnv();
let owner: Client;
let platform: Client;
let app: Client;
let platformDb: Db;
let tenantA: TenantContext;
let tenantB: TenantContext;

beforeAll(async () => {
  owner = new Client({ connectionString: env.ownerUrl });
  platform = new Client({ connectionString: env.platformUrl });
  app = new Client({ connectionString: env.appUrl });
  await Promise.all([owner.connect(), platform.connect(), app.connect()]);
  platformDb = createDb({ url: env.platformUrl, poolMax: 2 });
  const [a, b] = await Promise.all([createTestTenant(platformDb), createTestTenant(platformDb)]);
  adminUserIds = (await Promise.all([0, 1, 2].map(() => createTestAdminUser(platformDb)))).map((user) => user.id);
  tenantA = { customerId: a.customerId, callId: '' };
  tenantB = { customerId: b.customerId, callId: '' };
  tenantA.callId = (await insertRow(platform, 'calls', ROWS.calls!(tenantA, 0))).id;
  tenantB.callId = (await insertRow(platform, 'calls', ROWS.calls!(tenantB, 0))).id;
});

afterAll(async () => {
  await Promise.all([owner.end(), platform.end(), app.end(), platformDb.$disconnect()]);
});

async function insertRow(client: Client, table: string, row: Row): Promise<{ id: string }> {
  const columns = Object.keys(row).map((column) => client.escapeIdentifier(column));
  const relation = client.escapeIdentifier(table);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO ${relation} (${columns.join(', ')})
     SELECT ${columns.join(', ')} FROM json_populate_record(NULL::${relation}, $1::json)
     RETURNING id::text`,
    [JSON.stringify(row)],
  );
  return rows[0]!;
}

/** Runs `work` as the app role in a transaction with app.customer_id set (or not), then rolls back. */
async function asTenant<T>(customerId: number | '' | null, work: () => Promise<T>): Promise<T> {
  await app.query('BEGIN');
  try {
    if (customerId !== null) {
      await app.query(`SELECT set_config('app.customer_id', $1, true)`, [String(customerId)]);
    }
    return await work();
  } finally {
    await app.query('ROLLBACK');
  }
}

async function visibleIds(client: Client, table: string, ids: string[]): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id::text FROM ${client.escapeIdentifier(table)} WHERE id = ANY($1::uuid[]) ORDER BY id`,
    [ids],
  );
  return rows.map((row) => row.id);
}

async function countAll(client: Client, table: string): Promise<number> {
  const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${client.escapeIdentifier(table)}`);
  return rows[0]!.n;
}

const rlsViolation = { code: '42501', message: expect.stringMatching(/row-level security/) as unknown };
const permissionDenied = { code: '42501', message: expect.stringMatching(/permission denied|must be owner/) as unknown };

describe('the set of tenant-owned tables', () => {
  it('is derived from the database and matches the expected tables', async () => {
    const { rows } = await owner.query<{ table_name: string }>(`
      SELECT c.table_name
      FROM information_schema.columns c
      JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND c.column_name = 'customer_id'
        AND c.is_nullable = 'NO' AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name`);
    const fromDatabase = rows.map((row) => row.table_name);
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
      await expect(
        asTenant(tenantA.customerId, () => app.query(`DELETE FROM ${table} WHERE id = $1`, [rowB.id])),
      ).rejects.toMatchObject(permissionDenied);
    } else {
      const updated = await asTenant(tenantA.customerId, () =>
        app.query(`UPDATE ${table} SET id = id WHERE id = $1`, [rowB.id]),
      );
      expect(updated.rowCount).toBe(0);
      const deleted = await asTenant(tenantA.customerId, () =>
        app.query(`DELETE FROM ${table} WHERE id = $1`, [rowB.id]),
      );
      expect(deleted.rowCount).toBe(0);
      // Moving an own row to another tenant fails the WITH CHECK.
      await expect(
        asTenant(tenantA.customerId, () =>
          app.query(`UPDATE ${table} SET customer_id = $1 WHERE id = $2`, [tenantB.customerId, rowA.id]),
        ),
      ).rejects.toMatchObject(rlsViolation);
    }
    await expect(asTenant(tenantA.customerId, () => insertRow(app, table, build(tenantB, 1)))).rejects.toMatchObject(
      rlsViolation,
    );
    expect(await visibleIds(platform, table, [rowA.id, rowB.id])).toEqual([rowA.id, rowB.id].sort());
  });

  it("lets tenant A write and read its own rows", async () => {
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
      asTenant(tenantA.customerId, () =>
        app.query(`UPDATE customers SET status = 'suspended' WHERE id = $1`, [tenantA.customerId]),
      ),
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

describe('the app role cannot get around RLS', () => {
  it('has no dangerous attributes and is not a member of the platform role', async () => {
    const { rows } = await owner.query(
      `SELECT rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolreplication, rolcanlogin,
              pg_has_role(rolname, 'neurosphere_platform', 'MEMBER') AS member_of_platform
       FROM pg_roles WHERE rolname IN ('neurosphere_app', 'neurosphere_platform') ORDER BY rolname`,
    );
    const safe = { rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolcanlogin: true };
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
    await expect(
      asTenant(null, () => app.query('SET SESSION AUTHORIZATION neurosphere_platform')),
    ).rejects.toMatchObject({ code: '42501' });
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
    await expect(asTenant(null, () => app.query('CREATE TABLE public.sneaky (id int)'))).rejects.toMatchObject(
      permissionDenied,
    );
    for (const table of ['_prisma_migrations', 'platform_audit_log', 'admin_users', 'admin_password_resets', 'onboarding_requests']) {
      await expect(asTenant(tenantA.customerId, () => countAll(app, table))).rejects.toMatchObject(permissionDenied);
    }
  });

  it('reads global industry templates but cannot change them', async () => {
    expect(await asTenant(null, () => countAll(app, 'industry_template_versions'))).toBeGreaterThan(0);
    await expect(
      asTenant(null, () => app.query(`UPDATE industry_template_versions SET version = version`)),
    ).rejects.toMatchObject(permissionDenied);
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
    const { rows: numbers } = await platform.query<{ e164: string }>(
      'SELECT e164 FROM phone_numbers WHERE customer_id = $1 LIMIT 1',
      [tenantB.customerId],
    );
    const e164 = numbers[0]!.e164;
    const found = await asTenant(null, () => app.query('SELECT * FROM lookup_tenant_by_number($1)', [e164]));
    expect(found.rows).toEqual([{ customer_id: tenantB.customerId, status: 'active' }]);
    const missing = await asTenant(null, () => app.query('SELECT * FROM lookup_tenant_by_number($1)', [uniqueE164()]));
    expect(missing.rows).toEqual([]);
  });
});

describe('the platform role', () => {
  it('cannot rewrite the platform audit trail', async () => {
    await expect(platform.query('UPDATE platform_audit_log SET reason = reason')).rejects.toMatchObject(permissionDenied);
    await expect(platform.query('DELETE FROM platform_audit_log')).rejects.toMatchObject(permissionDenied);
  });
});

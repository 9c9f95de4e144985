import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { Client } from 'pg';
import { uniqueSuffix } from '@neurosphere/testing';
import { requireTestDatabaseEnv } from '../testing';
import { readDistributionPlan } from './read-distribution-plan';
import type { DistributionPlan } from './read-distribution-plan';
import { renderCitusSql } from './render-citus-sql';
import { SHARED_TABLES } from './table-placement';

/**
 * The migrated schema can be distributed by tenant (Citus), and infra/citus/distribute.sql is the
 * SQL its catalog gives. Tables are read from the catalog, so a table added later is checked too.
 */

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const DISTRIBUTE_SQL = path.join(REPO_ROOT, 'infra/citus/distribute.sql');
const execFileAsync = promisify(execFile);
const REGENERATE = 'pnpm --silent --filter @neurosphere/db citus-sql > infra/citus/distribute.sql';

const env = requireTestDatabaseEnv();
let owner: Client;
let plan: DistributionPlan;

beforeAll(async () => {
  owner = new Client({ connectionString: env.ownerUrl });
  await owner.connect();
  plan = await readDistributionPlan(owner);
});

afterAll(async () => {
  await owner.end();
});

describe('the migrated schema', () => {
  it('breaks no rule of distribution by customer_id', () => {
    expect(plan.violations).toEqual([]);
  });

  it('places every table: tenant tables by customer_id with customers, shared tables as listed', async () => {
    const { rows } = await owner.query<{ table_name: string; tenant: boolean }>(
      `SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c
                                     WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
                                       AND c.column_name = 'customer_id') AS tenant
         FROM information_schema.tables t
        WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        ORDER BY t.table_name`,
    );
    const shared = (placement: string) =>
      Object.entries(SHARED_TABLES)
        .filter(([, table]) => table.placement === placement)
        .map(([name]) => name)
        .sort();
    const tenantTables = rows.filter((row) => row.tenant && !Object.hasOwn(SHARED_TABLES, row.table_name)).map((row) => row.table_name);
    expect(plan.distributedTables[0]).toEqual({ table: 'customers', column: 'id', colocateWith: null });
    expect(
      plan.distributedTables
        .slice(1)
        .map((table) => table.table)
        .sort(),
    ).toEqual(tenantTables);
    expect(plan.distributedTables.slice(1).every((table) => table.column === 'customer_id' && table.colocateWith === 'customers')).toBe(
      true,
    );
    expect([...plan.referenceTables].sort()).toEqual(shared('reference'));
    expect([...plan.localTables].sort()).toEqual(shared('local'));
    // Each table comes after the ones it references.
    const distributed = plan.distributedTables.map((table) => table.table);
    expect(distributed.indexOf('calls')).toBeLessThan(distributed.indexOf('call_turns'));
    expect(plan.referenceTables.indexOf('industry_templates')).toBeLessThan(plan.referenceTables.indexOf('industry_template_versions'));
  });
});

describe('infra/citus/distribute.sql', () => {
  it('names every table of the catalog exactly once', async () => {
    const sql = await readFile(DISTRIBUTE_SQL, 'utf8');
    const distributed = [...sql.matchAll(/create_(?:distributed|reference)_table\('([^']+)'/g)].map((match) => match[1]!);
    const local = [...sql.matchAll(/^-- ([a-z_]+): /gm)].map((match) => match[1]!).filter((table) => plan.localTables.includes(table));
    const { rows } = await owner.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    expect([...distributed, ...local].sort()).toEqual(rows.map((row) => row.table_name));
  });

  it(`is what the catalog gives (regenerate: ${REGENERATE})`, async () => {
    // The documented command itself (its output redirected to the file), against this database.
    const { stdout } = await execFileAsync('pnpm', ['--silent', '--filter', '@neurosphere/db', 'citus-sql'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_OWNER_URL: env.ownerUrl },
    });
    expect(stdout).toBe(renderCitusSql(plan));
    expect(await readFile(DISTRIBUTE_SQL, 'utf8')).toBe(stdout);
  });
});

describe('the catalog check', () => {
  it('reports every rule a table breaks, and orders tables after those they reference', async () => {
    const schema = `citus_rules_${uniqueSuffix()}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
    // Built and read in one transaction that is rolled back: nothing is left behind.
    await owner.query('BEGIN');
    try {
      await owner.query(`CREATE SCHEMA ${schema}; SET LOCAL search_path = ${schema};
        CREATE TABLE customers (id INTEGER PRIMARY KEY);
        CREATE TABLE audit (id INTEGER PRIMARY KEY, customer_id INTEGER, customer_ref INTEGER REFERENCES customers (id));
        CREATE TABLE good (customer_id INTEGER NOT NULL REFERENCES customers (id) ON UPDATE RESTRICT ON DELETE CASCADE,
                           id INTEGER, PRIMARY KEY (customer_id, id));
        CREATE TABLE templates (key TEXT PRIMARY KEY, owner_customer INTEGER, owner_id INTEGER,
                                FOREIGN KEY (owner_customer, owner_id) REFERENCES good (customer_id, id));
        CREATE TABLE routed (customer_id INTEGER NOT NULL, id INTEGER, e164 TEXT, template TEXT REFERENCES templates (key),
                             PRIMARY KEY (customer_id, id));
        CREATE UNIQUE INDEX routed_e164_key ON routed (e164);
        CREATE TABLE keyless (customer_id INTEGER NOT NULL);
        CREATE TABLE nullable (customer_id INTEGER, id INTEGER PRIMARY KEY);
        CREATE TABLE cascading (customer_id INTEGER NOT NULL, id INTEGER, PRIMARY KEY (customer_id, id),
                                FOREIGN KEY (customer_id) REFERENCES customers (id) ON UPDATE CASCADE ON DELETE SET NULL);
        CREATE TABLE crossed (customer_id INTEGER NOT NULL, id INTEGER, good_customer INTEGER, good_id INTEGER,
                              PRIMARY KEY (customer_id, id), FOREIGN KEY (good_customer, good_id) REFERENCES good (customer_id, id));
        CREATE TABLE audited (customer_id INTEGER NOT NULL, id INTEGER, audit_id INTEGER REFERENCES audit (id),
                              PRIMARY KEY (customer_id, id));
        CREATE TABLE unlisted (id INTEGER PRIMARY KEY);
        CREATE TABLE excluded (customer_id INTEGER NOT NULL, id INTEGER, PRIMARY KEY (customer_id, id), EXCLUDE USING btree (id WITH =));
        CREATE TABLE ping (customer_id INTEGER NOT NULL, id INTEGER, pong_id INTEGER, PRIMARY KEY (customer_id, id));
        CREATE TABLE pong (customer_id INTEGER NOT NULL, id INTEGER, ping_id INTEGER, PRIMARY KEY (customer_id, id),
                           FOREIGN KEY (customer_id, ping_id) REFERENCES ping (customer_id, id));
        ALTER TABLE ping ADD FOREIGN KEY (customer_id, pong_id) REFERENCES pong (customer_id, id);
        CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TRIGGER touch BEFORE INSERT ON good FOR EACH ROW EXECUTE FUNCTION touch();`);
      const checked = await readDistributionPlan(owner, {
        schema,
        root: { table: 'customers', column: 'id' },
        sharedTables: {
          templates: { placement: 'reference', why: 'test' },
          audit: { placement: 'local', why: 'test' },
          ghost: { placement: 'reference', why: 'test' },
        },
      });
      expect([...checked.violations].sort()).toEqual(
        [
          'audit: foreign key audit_customer_ref_fkey (customer_ref) -> customers: a local (coordinator-only) table may not have foreign keys',
          'audited: foreign key audited_audit_id_fkey (audit_id) -> audit: a distributed table may not reference a local (coordinator-only) table',
          'cascading: foreign key cascading_customer_id_fkey (customer_id) -> customers contains customer_id, so it must not be ON DELETE SET NULL',
          'cascading: foreign key cascading_customer_id_fkey (customer_id) -> customers contains customer_id, so it must not be ON UPDATE CASCADE',
          'crossed: foreign key crossed_good_customer_good_id_fkey (good_customer, good_id) -> good must match customer_id to good.customer_id',
          'excluded: exclusion constraint excluded_id_excl (id) does not include customer_id',
          'ghost: is listed as a shared table but does not exist',
          'keyless: has no primary key (it must include customer_id)',
          'nullable: customer_id must be NOT NULL',
          'nullable: primary key nullable_pkey (id) does not include customer_id',
          'ping, pong: reference each other in a cycle; they cannot be distributed one after another',
          'routed: unique index routed_e164_key (e164) does not include customer_id',
          'templates: foreign key templates_owner_customer_owner_id_fkey (owner_customer, owner_id) -> good: a reference table may reference only reference tables',
          'unlisted: has no customer_id and is not listed as a shared table (src/distribution/table-placement.ts): a tenant table needs customer_id, a shared one a placement',
        ].sort(),
      );
      const distributed = checked.distributedTables.map((table) => table.table);
      expect(distributed[0]).toBe('customers');
      expect(distributed.indexOf('good')).toBeLessThan(distributed.indexOf('crossed'));
      expect(checked.tablesWithTriggers).toEqual(['good']);
      expect(() => renderCitusSql(checked)).toThrow('the schema cannot be distributed by tenant');
    } finally {
      await owner.query('ROLLBACK');
    }
  });
});

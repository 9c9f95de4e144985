import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uniqueSuffix } from '@neurosphere/testing';
import { Client } from 'pg';
import { requireTestDatabaseEnv } from '../testing';
import { DEFAULT_MIGRATIONS_DIR, MigrationError, applyMigrations, migrationChecksum, readLocalMigrations } from './apply-migrations';
import { readDistributionPlan } from '../distribution/read-distribution-plan';

/** Each test migrates its own fresh database on the test cluster and drops it afterwards. */

const env = requireTestDatabaseEnv();
const createdDatabases: string[] = [];
const tempDirs: string[] = [];

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function freshDatabase() {
  const database = `db_migrate_test_${uniqueSuffix()}`;
  createdDatabases.push(database);
  return {
    database,
    ownerUrl: withDatabase(env.ownerUrl, database),
    appUrl: withDatabase(env.appUrl, database),
    platformUrl: withDatabase(env.platformUrl, database),
  };
}

async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  tempDirs.push(dir);
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function query<T extends object>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Moves the migrations from `first` on (they may build on each other) out of `migrationsDir`, as
 * on a database that predates them; `restore` puts them back. Returns their names in order.
 */
async function holdMigrationsFrom(migrationsDir: string, first: string): Promise<{ names: string[]; restore: () => Promise<void> }> {
  const held = await mkdtemp(path.join(tmpdir(), 'held-migrations-'));
  tempDirs.push(held);
  const names = (await readLocalMigrations(migrationsDir)).map((migration) => migration.name).filter((name) => name >= first);
  for (const name of names) {
    await cp(path.join(migrationsDir, name), path.join(held, name), { recursive: true });
    await rm(path.join(migrationsDir, name), { recursive: true });
  }
  return {
    names,
    restore: async () => {
      for (const name of names) await cp(path.join(held, name), path.join(migrationsDir, name), { recursive: true });
    },
  };
}

afterAll(async () => {
  const admin = new Client({ connectionString: withDatabase(env.ownerUrl, 'postgres') });
  await admin.connect();
  for (const database of createdDatabases) {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(database)} WITH (FORCE)`);
  }
  await admin.end();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('applyMigrations', () => {
  it('creates the database, applies every migration and records it as Prisma does; a second run is a no-op', async () => {
    const target = freshDatabase();
    const local = await readLocalMigrations(DEFAULT_MIGRATIONS_DIR);
    expect(local.length).toBeGreaterThan(0);

    const first = await applyMigrations(target);
    expect(first.databaseCreated).toBe(true);
    expect(first.applied).toEqual(local.map((migration) => migration.name));

    const rows = await query<{
      id: string;
      checksum: string;
      migration_name: string;
      logs: string | null;
      rolled_back_at: Date | null;
      started_at: Date;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(target.ownerUrl, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    expect(rows).toHaveLength(local.length);
    for (const [index, row] of rows.entries()) {
      const migration = local[index]!;
      const fileBytes = await readFile(path.join(DEFAULT_MIGRATIONS_DIR, migration.name, 'migration.sql'));
      expect(row).toMatchObject({
        migration_name: migration.name,
        checksum: migrationChecksum(fileBytes),
        logs: null,
        rolled_back_at: null,
        applied_steps_count: 1,
      });
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }

    // The bookkeeping table has Prisma's exact shape.
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string; character_maximum_length: number | null }>(
      target.ownerUrl,
      `SELECT column_name, data_type, is_nullable, character_maximum_length FROM information_schema.columns
       WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', is_nullable: 'NO', character_maximum_length: 36 },
      { column_name: 'checksum', data_type: 'character varying', is_nullable: 'NO', character_maximum_length: 64 },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', is_nullable: 'YES', character_maximum_length: null },
      { column_name: 'migration_name', data_type: 'character varying', is_nullable: 'NO', character_maximum_length: 255 },
      { column_name: 'logs', data_type: 'text', is_nullable: 'YES', character_maximum_length: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', is_nullable: 'YES', character_maximum_length: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', is_nullable: 'NO', character_maximum_length: null },
      { column_name: 'applied_steps_count', data_type: 'integer', is_nullable: 'NO', character_maximum_length: null },
    ]);

    // The roles can log in to the new database with the passwords from their URLs.
    expect(await query(target.appUrl, 'SELECT current_user AS role')).toEqual([{ role: 'neurosphere_app' }]);
    expect(await query(target.platformUrl, 'SELECT current_user AS role')).toEqual([{ role: 'neurosphere_platform' }]);

    const second = await applyMigrations(target);
    expect(second).toEqual({
      databaseCreated: false,
      applied: [],
      alreadyApplied: local.map((migration) => migration.name),
      rolesUpdated: [],
    });
    expect(await query(target.ownerUrl, 'SELECT id FROM _prisma_migrations')).toHaveLength(local.length);
  });

  it('refuses to run when an applied migration was edited', async () => {
    const target = freshDatabase();
    const migrationsDir = await copyOfMigrations();
    await applyMigrations({ ...target, migrationsDir });
    const [first] = await readLocalMigrations(migrationsDir);
    const file = path.join(migrationsDir, first!.name, 'migration.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited\n`);

    const attempt = applyMigrations({ ...target, migrationsDir });
    await expect(attempt).rejects.toThrow(MigrationError);
    await expect(applyMigrations({ ...target, migrationsDir })).rejects.toThrow(
      `migration ${first!.name} was modified after it was applied`,
    );
  });

  it('applies a new migration on top, and rolls a failing one back completely', async () => {
    const target = freshDatabase();
    const migrationsDir = await copyOfMigrations();
    await applyMigrations({ ...target, migrationsDir });

    await mkdir(path.join(migrationsDir, '29990101000000_add_widgets'));
    await writeFile(
      path.join(migrationsDir, '29990101000000_add_widgets', 'migration.sql'),
      'CREATE TABLE "widgets" ("id" INTEGER NOT NULL);\n',
    );
    const added = await applyMigrations({ ...target, migrationsDir });
    expect(added.applied).toEqual(['29990101000000_add_widgets']);

    await mkdir(path.join(migrationsDir, '29990102000000_broken'));
    await writeFile(
      path.join(migrationsDir, '29990102000000_broken', 'migration.sql'),
      'CREATE TABLE "gadgets" ("id" INTEGER NOT NULL);\nSELECT no_such_function();\n',
    );
    await expect(applyMigrations({ ...target, migrationsDir })).rejects.toThrow(
      /migration 29990102000000_broken failed: function no_such_function\(\) does not exist/,
    );
    expect(await query(target.ownerUrl, `SELECT to_regclass('public.gadgets') AS gadgets`)).toEqual([{ gadgets: null }]);
    expect(await query(target.ownerUrl, `SELECT 1 FROM _prisma_migrations WHERE migration_name = '29990102000000_broken'`)).toEqual([]);
  });

  it('backfills the memory read model for the callers a database already has', async () => {
    const target = freshDatabase();
    const migrationsDir = await copyOfMigrations();
    const readModel = '20261129400000_memory_caller_contexts';
    // Applied without the read model (and the migrations after it) first, then with them.
    const held = await holdMigrationsFrom(migrationsDir, readModel);
    await applyMigrations({ ...target, migrationsDir });

    // Callers as they were before the read model: one with memories and a profile, one with only
    // personality averages, one with only a summary still waiting for the worker (no context).
    await query(
      target.ownerUrl,
      `INSERT INTO industry_templates (industry, name) VALUES ('upgrade-test', 'Upgrade test');
       INSERT INTO industry_template_versions (industry, version, definition) VALUES ('upgrade-test', 1, '{}');
       INSERT INTO customers (id, business_name, agent_name, greeting, industry, template_version)
         VALUES (1, 'Upgrade Co', 'Ava', 'Hello', 'upgrade-test', 1);
       INSERT INTO memories (customer_id, user_id, content) VALUES (1, '+12125550101', 'Has two cars'), (1, '+12125550101', 'Prefers email');
       INSERT INTO caller_profiles (customer_id, user_id, name) VALUES (1, '+12125550101', 'Pat');
       INSERT INTO personality_averages (customer_id, user_id, averages, sample_count) VALUES (1, '+12125550102', '{"warmth": 60}', 1);
       INSERT INTO call_summaries (customer_id, call_sid, user_id, summary, status) VALUES (1, 'CA-upgrade', '+12125550103', '', 'pending');`,
    );
    await held.restore();
    expect((await applyMigrations({ ...target, migrationsDir })).applied).toEqual(held.names);
    expect(held.names[0]).toBe(readModel);

    const rows = await query<{ user_id: string; same: boolean; memories: number }>(
      target.ownerUrl,
      `SELECT user_id, context::text = memory_build_caller_context(customer_id, user_id)::text AS same,
              json_array_length(context->'memories') AS memories
         FROM caller_contexts ORDER BY user_id`,
    );
    expect(rows).toEqual([
      { user_id: '+12125550101', same: true, memories: 2 },
      { user_id: '+12125550102', same: true, memories: 0 },
    ]);
    expect(await query(target.ownerUrl, 'SELECT count(*)::int AS notes FROM caller_context_refreshes')).toEqual([{ notes: 0 }]);
  });

  it('makes every key distributable by customer_id and keeps every row of a database with data', async () => {
    const target = freshDatabase();
    const migrationsDir = await copyOfMigrations();
    // Applied up to the Citus-ready keys first, then the rest, as on a database that predates them.
    const held = await holdMigrationsFrom(migrationsDir, '20261206000000_number_routes');
    expect(held.names).toContain('20261206000100_tenant_foreign_keys_restrict_updates');
    await applyMigrations({ ...target, migrationsDir });

    // Two tenants with rows in every tenant table; tenant 1 has two numbers.
    await query(
      target.ownerUrl,
      `INSERT INTO industry_templates (industry, name) VALUES ('keys-test', 'Keys test');
       INSERT INTO industry_template_versions (industry, version, definition) VALUES ('keys-test', 1, '{}');
       INSERT INTO customers (id, business_name, agent_name, greeting, industry, template_version)
         VALUES (1, 'One Co', 'Ava', 'Hello', 'keys-test', 1), (2, 'Two Co', 'Bo', 'Hi', 'keys-test', 1);
       INSERT INTO admin_users (id, email) VALUES ('00000000-0000-4000-8000-000000000001', 'owner@keys.test');
       INSERT INTO phone_numbers (customer_id, e164, purpose) VALUES (1, '+12015550101', 'voice'), (1, '+12015550102', 'sms'), (2, '+12015550201', 'voice_and_sms');
       INSERT INTO tenant_credentials (customer_id, provider, secret_ciphertext, secret_iv, secret_auth_tag, key_id)
         VALUES (2, 'twilio', '\\x01', '\\x02', '\\x03', 'k1');
       INSERT INTO memories (customer_id, user_id, content) VALUES (1, '+12125550101', 'Has two cars'), (2, '+12125550101', 'Prefers texts');
       INSERT INTO call_summaries (customer_id, call_sid, user_id, summary) VALUES (1, 'CA1', '+12125550101', 'Asked about renewal');
       INSERT INTO caller_profiles (customer_id, user_id, name) VALUES (1, '+12125550101', 'Pat'), (2, '+12125550101', 'Pat');
       INSERT INTO personality_metrics (customer_id, call_sid, user_id, scores) VALUES (1, 'CA1', '+12125550101', '{"warmth": 60}');
       INSERT INTO personality_averages (customer_id, user_id, averages, sample_count) VALUES (1, '+12125550101', '{"warmth": 60}', 1);
       INSERT INTO calls (customer_id, id, call_sid, from_number, to_number)
         VALUES (1, '00000000-0000-4000-8000-00000000000a', 'CA1', '+12125550101', '+12015550101');
       INSERT INTO call_turns (customer_id, call_id, turn_index, role, text)
         VALUES (1, '00000000-0000-4000-8000-00000000000a', 0, 'assistant', 'Hello'), (1, '00000000-0000-4000-8000-00000000000a', 1, 'user', 'Hi');
       INSERT INTO call_messages (customer_id, kind, caller_number, message) VALUES (1, 'callback', '+12125550101', 'Call me');
       INSERT INTO sms_messages (customer_id, direction, from_number, to_number, body, status)
         VALUES (1, 'outbound', '+12015550102', '+12125550101', 'Thanks', 'sent');
       INSERT INTO sms_opt_outs (customer_id, phone) VALUES (2, '+12125550101');
       INSERT INTO sms_templates (customer_id, name, body) VALUES (1, 'follow-up', 'Hi {{name}}');
       INSERT INTO memberships (customer_id, admin_user_id, role) VALUES (1, '00000000-0000-4000-8000-000000000001', 'owner');
       INSERT INTO audit_log (customer_id, actor, action) VALUES (1, 'admin', 'greeting.update');
       INSERT INTO usage_records (customer_id, kind, quantity) VALUES (1, 'call_minutes', 2.5);`,
    );
    const owner = new Client({ connectionString: target.ownerUrl });
    await owner.connect();
    try {
      const columnsOf = async (table: string) =>
        (
          await owner.query<{ column_name: string }>(
            `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
            [table],
          )
        ).rows.map((row) => row.column_name);
      /** Per table: row count and a digest of the rows over `columns` (the columns it had before: later migrations may add some). */
      const contents = async (columns: Record<string, string[]> = {}) => {
        const { rows } = await owner.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY 1`,
        );
        const tables: Record<string, { rows: number; digest: string | null }> = {};
        const columnsSeen: Record<string, string[]> = {};
        for (const { table_name: table } of rows) {
          const relation = owner.escapeIdentifier(table);
          columnsSeen[table] = columns[table] ?? (await columnsOf(table));
          const row = `row(${columnsSeen[table].map((column) => `t.${owner.escapeIdentifier(column)}`).join(', ')})::text`;
          const [digest] = (
            await owner.query<{ rows: number; digest: string | null }>(
              `SELECT count(*)::int AS rows, md5(string_agg(${row}, ',' ORDER BY ${row})) AS digest FROM ${relation} t`,
            )
          ).rows;
          tables[table] = digest!;
        }
        return { tables, columns: columnsSeen };
      };
      const { tables: before, columns: columnsBefore } = await contents();
      // Every table has rows but the read model's transient notes and the platform audit trail.
      expect(Object.keys(before).filter((table) => before[table]!.rows === 0)).toEqual(['caller_context_refreshes', 'platform_audit_log']);
      const violationsBefore = (await readDistributionPlan(owner)).violations;
      expect(violationsBefore).toEqual(
        expect.arrayContaining([
          'phone_numbers: unique index phone_numbers_e164_key (e164) does not include customer_id',
          'call_turns: foreign key call_turns_customer_id_call_id_fkey (customer_id, call_id) -> calls contains customer_id, so it must not be ON UPDATE CASCADE',
        ]),
      );

      await held.restore();
      expect((await applyMigrations({ ...target, migrationsDir })).applied).toEqual(held.names);

      const { tables: after } = await contents(columnsBefore);
      expect(Object.fromEntries(Object.keys(before).map((table) => [table, after[table]]))).toEqual(before);
      expect((await readDistributionPlan(owner)).violations).toEqual([]);
      // Every number is routed to the tenant that has it, and the gateway's lookup finds it.
      const routes = await query(target.ownerUrl, 'SELECT e164, customer_id FROM number_routes ORDER BY e164');
      expect(routes).toEqual([
        { e164: '+12015550101', customer_id: 1 },
        { e164: '+12015550102', customer_id: 1 },
        { e164: '+12015550201', customer_id: 2 },
      ]);
      expect(await query(target.appUrl, `SELECT * FROM lookup_tenant_by_number('+12015550201')`)).toEqual([
        { customer_id: 2, status: 'active' },
      ]);
      // A number stays with one tenant: tenant 2 cannot be given tenant 1's number.
      await expect(owner.query(`INSERT INTO number_routes (e164, customer_id) VALUES ('+12015550101', 2)`)).rejects.toMatchObject({
        code: '23505',
      });
      await expect(owner.query(`INSERT INTO phone_numbers (customer_id, e164) VALUES (2, '+12015550101')`)).rejects.toMatchObject({
        code: '23503',
      });
    } finally {
      await owner.end();
    }
  });

  it('rejects role URLs that do not use the expected role names', async () => {
    const target = freshDatabase();
    await expect(
      applyMigrations({ ...target, appUrl: withDatabase('postgres://someone:pw@127.0.0.1:5432/x', target.database) }),
    ).rejects.toThrow('DATABASE_URL must connect as neurosphere_app, not "someone"');
    await expect(applyMigrations({ ...target, platformUrl: 'postgres://neurosphere_platform@127.0.0.1:5432/x' })).rejects.toThrow(
      'DATABASE_PLATFORM_URL must include a password',
    );
  });
});

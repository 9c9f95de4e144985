import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { applyMigrations, createDb, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { createTestTenant, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import { Client } from 'pg';
import type { insuranceTemplate } from '../../../test/harness';
import { createTenantWithTemplate, publishInsuranceTemplate } from '../../../test/harness';
import { importLegacy } from './import-legacy';
import { legacyRowId } from './legacy-id';

const run = promisify(execFile);
/** For tests and setups that start the CLI (tsx, pnpm) or migrate a database: seconds each on a busy 2-core machine. */
const SLOW_TEST_TIMEOUT_MS = 180_000;
const env = requireTestDatabaseEnv();
const MEMORY_APP = path.resolve(__dirname, '../../..');
const WORKSPACE = path.resolve(MEMORY_APP, '../..');

/**
 * A legacy database with every table and column the import can map: integer ids, timestamps with
 * a time zone, JSON columns. (The plan's own memories table is much smaller: see PLAN_DDL.)
 */
const EVERY_COLUMN_DDL = `
CREATE TABLE memories (
  id SERIAL PRIMARY KEY, user_id TEXT NOT NULL, thread_id TEXT, content TEXT NOT NULL, memory_type TEXT, metadata JSONB,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE call_summaries (
  id SERIAL PRIMARY KEY, call_sid TEXT, user_id TEXT NOT NULL, thread_id TEXT, summary TEXT NOT NULL, key_topics JSONB,
  variables JSONB, transcript JSONB, created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE caller_profiles (
  id SERIAL PRIMARY KEY, user_id TEXT NOT NULL UNIQUE, name TEXT, quick_bio TEXT, variables JSONB, first_call_at TIMESTAMPTZ,
  last_call_at TIMESTAMPTZ, total_calls INTEGER NOT NULL DEFAULT 0, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE personality_metrics (
  id SERIAL PRIMARY KEY, user_id TEXT NOT NULL, call_sid TEXT, metrics JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE personality_averages (
  id SERIAL PRIMARY KEY, user_id TEXT NOT NULL UNIQUE, averages JSONB NOT NULL, call_count INTEGER NOT NULL DEFAULT 0,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);`;

/** The original plan's memories table, exactly: UUID ids, no primary key, a timestamp without time zone. */
const PLAN_DDL = 'CREATE TABLE memories (id UUID, user_id TEXT, content TEXT, created_at TIMESTAMP)';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A database of the original single-tenant system, created on the test cluster and dropped after. */
async function createLegacyDatabase(ddl = EVERY_COLUMN_DDL): Promise<{ url: string; client: Client; drop(): Promise<void> }> {
  const name = `legacy_memory_${uniqueSuffix()}`;
  const admin = new Client({ connectionString: env.ownerUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = withDatabase(env.ownerUrl, name);
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query(ddl);
  return {
    url,
    client,
    async drop() {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

const CALLERS = 400;
const MEMORIES = 5_755;
const SUMMARIES = 1_200;

async function seedLegacy(client: Client): Promise<void> {
  const phones = new Set<string>();
  while (phones.size < CALLERS) phones.add(uniquePhone());
  const callers = [...phones];
  await client.query('CREATE TEMP TABLE callers (n INT, e164 TEXT)');
  await client.query('INSERT INTO callers SELECT * FROM unnest($1::int[], $2::text[])', [callers.map((_, index) => index), callers]);
  // Each memory uses one of four spellings of its caller's number: the import must normalize them.
  await client.query(
    `CREATE FUNCTION pg_temp.spelled(e164 TEXT, variant INT) RETURNS TEXT LANGUAGE sql AS $$
       SELECT CASE variant % 4
         WHEN 0 THEN e164
         WHEN 1 THEN '(' || substr(e164, 3, 3) || ') ' || substr(e164, 6, 3) || '-' || substr(e164, 9)
         WHEN 2 THEN substr(e164, 3, 3) || '-' || substr(e164, 6, 3) || '-' || substr(e164, 9)
         ELSE substr(e164, 2)
       END $$`,
  );
  await client.query(
    `INSERT INTO memories (user_id, thread_id, content, memory_type, metadata, created_at)
     SELECT pg_temp.spelled(c.e164, g), 'user_' || substr(c.e164, 2), 'Legacy memory #' || g,
            CASE WHEN g % 3 = 0 THEN 'preference' ELSE NULL END,
            jsonb_build_object('source', 'legacy', 'n', g),
            timestamptz '2024-01-01' + g * interval '1 hour'
       FROM generate_series(1, $1::int) g JOIN callers c ON c.n = g % $2::int`,
    [MEMORIES, CALLERS],
  );
  // Some old summaries have no call sid, and two share one (both must survive).
  await client.query(
    `INSERT INTO call_summaries (call_sid, user_id, thread_id, summary, key_topics, variables, transcript, created_at)
     SELECT CASE WHEN g % 50 = 0 THEN NULL WHEN g = 7 THEN 'CA-legacy-6' ELSE 'CA-legacy-' || g END,
            pg_temp.spelled(c.e164, g), 'user_' || substr(c.e164, 2), 'Legacy summary #' || g,
            jsonb_build_array('topic-' || (g % 5)), jsonb_build_object('city', 'City ' || (g % 17)),
            jsonb_build_array(jsonb_build_object('role', 'caller', 'text', 'hello ' || g)),
            timestamptz '2024-02-01' + g * interval '1 hour'
       FROM generate_series(1, $1::int) g JOIN callers c ON c.n = g % $2::int`,
    [SUMMARIES, CALLERS],
  );
  await client.query(
    `INSERT INTO caller_profiles (user_id, name, quick_bio, variables, first_call_at, last_call_at, total_calls)
     SELECT pg_temp.spelled(c.e164, c.n), 'Caller ' || c.n, 'Caller ' || c.n || ' | City ' || (c.n % 17),
            jsonb_build_object('city', 'City ' || (c.n % 17)), timestamptz '2023-01-01', timestamptz '2024-06-01', 3
       FROM callers c`,
  );
  await client.query(
    `INSERT INTO personality_metrics (user_id, call_sid, metrics, created_at)
     SELECT s.user_id, s.call_sid, jsonb_build_object('warmth', s.id % 101, 'patience', 50), s.created_at
       FROM call_summaries s`,
  );
  await client.query(
    `INSERT INTO personality_averages (user_id, averages, call_count)
     SELECT pg_temp.spelled(c.e164, c.n), jsonb_build_object('warmth', 50.5, 'patience', 50), 3 FROM callers c`,
  );
}

describe('legacy import', () => {
  let platformDb: Db;
  let appDb: Db;
  let legacy: Awaited<ReturnType<typeof createLegacyDatabase>>;
  let customerId: number;
  let otherCustomerId: number;
  let template: ReturnType<typeof insuranceTemplate>;

  async function countsIn(tenant: number) {
    return withTenant(appDb, tenant, async (tx) => ({
      memories: await tx.memory.count({ where: { customerId: tenant } }),
      callSummaries: await tx.callSummary.count({ where: { customerId: tenant } }),
      callerProfiles: await tx.callerProfile.count({ where: { customerId: tenant } }),
      personalityMetrics: await tx.personalityMetric.count({ where: { customerId: tenant } }),
      personalityAverages: await tx.personalityAverage.count({ where: { customerId: tenant } }),
    }));
  }

  beforeAll(async () => {
    platformDb = createDb({ url: env.platformUrl, poolMax: 3 });
    appDb = createDb({ url: env.appUrl, poolMax: 2 });
    template = await publishInsuranceTemplate(platformDb, 'insurance-legacy');
    customerId = await createTenantWithTemplate(platformDb, template);
    otherCustomerId = await createTenantWithTemplate(platformDb, template);
    legacy = await createLegacyDatabase();
    await seedLegacy(legacy.client);
  });

  afterAll(async () => {
    await legacy?.drop();
    await Promise.all([platformDb?.$disconnect(), appDb?.$disconnect()]);
  });

  it(
    'imports every row under the given customer_id, in batches, and a second run (the CLI) adds nothing',
    async () => {
      const batches: string[] = [];
      const first = await importLegacy({
        platformDb,
        source: legacy.client,
        customerId,
        batchSize: 1000,
        onBatch: (table) => batches.push(table),
      });
      expect(first.problems).toEqual([]);
      expect(first.tables).toEqual({
        memories: { read: MEMORIES, inserted: MEMORIES, alreadyImported: 0, conflicts: 0, rejected: 0 },
        call_summaries: { read: SUMMARIES, inserted: SUMMARIES, alreadyImported: 0, conflicts: 0, rejected: 0 },
        caller_profiles: { read: CALLERS, inserted: CALLERS, alreadyImported: 0, conflicts: 0, rejected: 0 },
        personality_metrics: { read: SUMMARIES, inserted: SUMMARIES, alreadyImported: 0, conflicts: 0, rejected: 0 },
        personality_averages: { read: CALLERS, inserted: CALLERS, alreadyImported: 0, conflicts: 0, rejected: 0 },
      });
      expect(batches.filter((table) => table === 'memories')).toHaveLength(6);

      const expected = {
        memories: MEMORIES,
        callSummaries: SUMMARIES,
        callerProfiles: CALLERS,
        personalityMetrics: SUMMARIES,
        personalityAverages: CALLERS,
      };
      expect(await countsIn(customerId)).toEqual(expected);
      expect(await countsIn(otherCustomerId)).toEqual({
        memories: 0,
        callSummaries: 0,
        callerProfiles: 0,
        personalityMetrics: 0,
        personalityAverages: 0,
      });

      // Rows arrive normalized and traceable to their legacy ids.
      const { rows } = await legacy.client.query<{ id: number; user_id: string; content: string; metadata: Record<string, unknown> }>(
        `SELECT id, user_id, content, metadata FROM memories WHERE user_id LIKE '(%' ORDER BY id LIMIT 1`,
      );
      const spelled = rows[0]!;
      const imported = await withTenant(appDb, customerId, (tx) =>
        tx.memory.findUnique({ where: { customerId_id: { customerId, id: legacyRowId(customerId, 'memories', spelled.id) } } }),
      );
      expect(imported).toEqual(
        expect.objectContaining({
          content: spelled.content,
          userId: `+1${spelled.user_id.replace(/\D/g, '')}`,
          metadata: {
            ...spelled.metadata,
            legacy: { id: String(spelled.id), thread_id: expect.stringMatching(/^user_1\d{10}$/), user_id: spelled.user_id },
          },
        }),
      );
      // Two legacy summaries shared a call sid and some had none: each still gets its own unique one.
      const shared = await legacy.client.query<{ id: number }>(`SELECT id FROM call_summaries WHERE call_sid = 'CA-legacy-6' ORDER BY id`);
      const withoutSid = await legacy.client.query<{ id: number }>(
        'SELECT id FROM call_summaries WHERE call_sid IS NULL ORDER BY id LIMIT 1',
      );
      const expectedSids = ['CA-legacy-6', `CA-legacy-6-legacy-${shared.rows[1]!.id}`, `legacy-call_summaries-${withoutSid.rows[0]!.id}`];
      const summaries = await withTenant(appDb, customerId, (tx) =>
        tx.callSummary.findMany({ where: { customerId, callSid: { in: expectedSids } } }),
      );
      expect(summaries.map((summary) => summary.callSid).sort()).toEqual([...expectedSids].sort());
      expect(
        summaries.every(
          (summary) => summary.status === 'completed' && summary.threadId === `customer_${customerId}_user_${summary.userId.slice(1)}`,
        ),
      ).toBe(true);

      // Second run through the command line: same counts read, nothing inserted.
      const cli = await run(
        'npx',
        [
          'tsx',
          '--conditions=development',
          'src/cli/import-legacy.ts',
          '--source',
          legacy.url,
          '--customer-id',
          String(customerId),
          '--batch-size',
          '500',
        ],
        { cwd: MEMORY_APP, env: { ...process.env, LOG_LEVEL: 'warn' } },
      );
      expect(cli.stdout).toContain(`Legacy import into customer ${customerId}`);
      expect(cli.stdout).toMatch(/memories\s+5755\s+0\s+5755\s+0\s+0/);
      expect(cli.stdout).toMatch(/call_summaries\s+1200\s+0\s+1200\s+0\s+0/);
      expect(cli.stdout).toMatch(/caller_profiles\s+400\s+0\s+400\s+0\s+0/);
      expect(cli.stdout).toMatch(/personality_metrics\s+1200\s+0\s+1200\s+0\s+0/);
      expect(cli.stdout).toMatch(/personality_averages\s+400\s+0\s+400\s+0\s+0/);
      expect(await countsIn(customerId)).toEqual(expected);
    },
    SLOW_TEST_TIMEOUT_MS,
  );

  it('lists the rows it cannot import instead of dropping them silently', async () => {
    const small = await createLegacyDatabase();
    try {
      const caller = uniquePhone();
      await small.client.query(`INSERT INTO memories (user_id, content) VALUES ($1, 'fine'), ('not a phone', 'orphan')`, [caller]);
      await small.client.query(`INSERT INTO caller_profiles (user_id, name) VALUES ($1, 'Legacy name')`, [caller]);
      const tenant = await createTenantWithTemplate(platformDb, template);
      // The caller already has a live profile at this tenant: the legacy profile collides with it.
      await withTenant(appDb, tenant, (tx) => tx.callerProfile.create({ data: { customerId: tenant, userId: caller, name: 'Live name' } }));
      const result = await importLegacy({ platformDb, source: small.client, customerId: tenant });
      expect(result.tables.memories).toEqual({ read: 2, inserted: 1, alreadyImported: 0, conflicts: 0, rejected: 1 });
      expect(result.tables.caller_profiles).toEqual({ read: 1, inserted: 0, alreadyImported: 0, conflicts: 1, rejected: 0 });
      expect(result.problems).toEqual([
        { table: 'memories', legacyId: '2', reason: 'user_id is not a valid phone number' },
        { table: 'caller_profiles', legacyId: '1', reason: 'collides with an existing row of this tenant (same caller or call sid)' },
      ]);
    } finally {
      await small.drop();
    }
  });

  it('does not deadlock with a live transaction that is writing a caller it imports', async () => {
    const small = await createLegacyDatabase();
    const live = new Client({ connectionString: env.appUrl });
    const observer = new Client({ connectionString: env.ownerUrl });
    await Promise.all([live.connect(), observer.connect()]);
    try {
      const caller = uniquePhone();
      await small.client.query(`INSERT INTO caller_profiles (user_id, name) VALUES ($1, 'Legacy name')`, [caller]);
      const tenant = await createTenantWithTemplate(platformDb, template);
      await withTenant(appDb, tenant, (tx) => tx.memory.create({ data: { customerId: tenant, userId: caller, content: 'Live note' } }));

      // A live transaction (as a summarization does) writes the caller and stays open while the
      // import runs. (When the read model was refreshed after each statement, this write took the
      // caller's row of caller_contexts; the import's profile then waited for that row, the live
      // profile write below waited for the import's profile, and PostgreSQL aborted one.)
      await live.query('BEGIN');
      await live.query(`SELECT set_config('app.customer_id', $1, true)`, [String(tenant)]);
      await live.query(`UPDATE memories SET content = 'Live note, edited' WHERE customer_id = $1 AND user_id = $2`, [tenant, caller]);
      const importing = importLegacy({ platformDb, source: small.client, customerId: tenant });
      let settled = false;
      void importing.then(
        () => (settled = true),
        () => (settled = true),
      );
      // Until the import has finished or waits for a lock.
      for (let attempt = 0; !settled; attempt++) {
        const { rows } = await observer.query<{ waiting: number }>(
          `SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND usename = 'neurosphere_platform' AND wait_event_type = 'Lock'`,
        );
        if (rows[0]!.waiting > 0) break;
        if (attempt > 500) throw new Error('the import neither finished nor waited');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // The live transaction then writes the caller's profile, as a summarization does next.
      await live.query(
        `INSERT INTO caller_profiles (customer_id, user_id, name) VALUES ($1, $2, 'Live name')
         ON CONFLICT (customer_id, user_id) DO UPDATE SET name = EXCLUDED.name`,
        [tenant, caller],
      );
      await live.query('COMMIT');

      const result = await importing;
      expect(result.tables.caller_profiles.read).toBe(1);
      const { rows } = await observer.query<{ same: boolean; name: string }>(
        `SELECT context::text = memory_build_caller_context(customer_id, user_id)::text AS same, context->'profile'->>'name' AS name
           FROM caller_contexts WHERE customer_id = $1 AND user_id = $2`,
        [tenant, caller],
      );
      expect(rows).toEqual([{ same: true, name: 'Live name' }]);
    } finally {
      await live.query('ROLLBACK').catch(() => undefined);
      await Promise.all([live.end(), observer.end()]);
      await small.drop();
    }
  });

  it('refuses a customer that does not exist', async () => {
    await expect(importLegacy({ platformDb, source: legacy.client, customerId: 2_000_000_000 })).rejects.toThrow(
      'customer 2000000000 does not exist',
    );
  });
});

describe("legacy import of the plan's schema into customer 1 of a new platform", () => {
  const PLAN_MEMORIES = 5_755;
  const target = `legacy_target_${uniqueSuffix()}`;
  const targetEnv = {
    ownerUrl: withDatabase(env.ownerUrl, target),
    appUrl: withDatabase(env.appUrl, target),
    platformUrl: withDatabase(env.platformUrl, target),
  };
  let platformDb: Db;
  let owner: Client;
  let legacy: Awaited<ReturnType<typeof createLegacyDatabase>>;

  /** The README's command, with its placeholders filled in; `options` are the bracketed ones to keep. */
  async function readmeCommand(values: { source: string; customerId: number }, options: string[] = []): Promise<string[]> {
    const readme = await readFile(path.join(MEMORY_APP, 'README.md'), 'utf8');
    const line = readme.split('\n').find((candidate) => candidate.startsWith('pnpm --filter @neurosphere/memory import-legacy'));
    if (!line) throw new Error('the README shows no import-legacy command');
    const optional = [...line.matchAll(/\[([^\]]+)\]/g)].map((match) => match[1]!);
    for (const option of options) expect(optional).toContain(option);
    const words = [
      ...line
        .replace(/\[[^\]]*\]/g, '')
        .trim()
        .split(/\s+/),
      ...options.flatMap((option) => option.split(/\s+/)),
    ];
    const source = words.indexOf('--source');
    const customer = words.indexOf('--customer-id');
    expect([source, customer].every((index) => index > 0 && index + 1 < words.length)).toBe(true);
    words[source + 1] = values.source;
    words[customer + 1] = String(values.customerId);
    return words;
  }

  async function runReadmeCommand(words: string[]): Promise<string> {
    const [command, ...args] = words;
    const { stdout } = await run(command!, args, {
      cwd: WORKSPACE,
      env: { ...process.env, DATABASE_PLATFORM_URL: targetEnv.platformUrl, LOG_LEVEL: 'warn' },
    });
    return stdout;
  }

  async function tenantRowCounts(): Promise<Record<string, number>> {
    const { rows } = await owner.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM memories) AS memories, (SELECT count(*)::int FROM caller_contexts) AS caller_contexts,
              (SELECT count(*)::int FROM caller_profiles) AS caller_profiles, (SELECT count(*)::int FROM call_summaries) AS call_summaries`,
    );
    return rows[0]!;
  }

  beforeAll(async () => {
    await applyMigrations(targetEnv);
    platformDb = createDb({ url: targetEnv.platformUrl, poolMax: 2 });
    owner = new Client({ connectionString: targetEnv.ownerUrl });
    await owner.connect();
    legacy = await createLegacyDatabase(PLAN_DDL);
    const callers = Array.from({ length: 400 }, () => uniquePhone());
    // Numbers as the old system captured them: half E.164, half national with punctuation.
    await legacy.client.query(
      `INSERT INTO memories (id, user_id, content, created_at)
       SELECT gen_random_uuid(),
              CASE WHEN g % 2 = 0 THEN c.e164 ELSE '(' || substr(c.e164, 3, 3) || ') ' || substr(c.e164, 6, 3) || '-' || substr(c.e164, 9) END,
              'Plan memory #' || g, timestamp '2023-03-01 08:00' + g * interval '7 minutes'
         FROM generate_series(1, $1::int) g
         JOIN unnest($2::text[]) WITH ORDINALITY AS c(e164, n) ON c.n = g % $3::int + 1`,
      [PLAN_MEMORIES, callers, callers.length],
    );
  }, SLOW_TEST_TIMEOUT_MS);

  afterAll(async () => {
    await legacy?.drop();
    await Promise.all([platformDb?.$disconnect(), owner?.end()]);
    const admin = new Client({ connectionString: env.ownerUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
    await admin.end();
  });

  it(
    "a dry run writes nothing; the README's command imports every memory; a second run imports nothing",
    async () => {
      const { customerId } = await createTestTenant(platformDb);
      expect(customerId).toBe(1);

      const dryRun = await runReadmeCommand(await readmeCommand({ source: legacy.url, customerId }, ['--dry-run']));
      expect(dryRun).toContain('Dry run: legacy import into customer 1 (nothing written)');
      expect(dryRun).toMatch(/memories\s+5755\s+5755\s+0\s+0\s+0/);
      expect(dryRun).toContain('Not in the source: call_summaries, caller_profiles, personality_metrics, personality_averages');
      expect(dryRun.match(/^ {2}memories #[0-9a-f-]{36}: \{"id":/gm)).toHaveLength(3);
      expect(await tenantRowCounts()).toEqual({ memories: 0, caller_contexts: 0, caller_profiles: 0, call_summaries: 0 });
      const audit = await owner.query<{ action: string }>(
        `SELECT action FROM platform_audit_log WHERE actor = 'legacy-import' ORDER BY created_at`,
      );
      expect(audit.rows.map((row) => row.action)).toEqual(['legacy_import.dry_run']);

      const imported = await runReadmeCommand(await readmeCommand({ source: legacy.url, customerId }));
      expect(imported).toContain('Legacy import into customer 1');
      expect(imported).toMatch(/memories\s+5755\s+5755\s+0\s+0\s+0/);
      expect(await tenantRowCounts()).toEqual({ memories: PLAN_MEMORIES, caller_contexts: 400, caller_profiles: 0, call_summaries: 0 });

      // UUID ids map deterministically; the naive timestamp is taken as UTC; the number is normalized.
      const { rows } = await legacy.client.query<{ id: string; user_id: string; content: string; naive: string }>(
        `SELECT id::text, user_id, content, to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS') AS naive
         FROM memories WHERE user_id LIKE '(%' ORDER BY id LIMIT 1`,
      );
      const sample = rows[0]!;
      const stored = await owner.query<{ user_id: string; content: string; created_at: Date; legacy_id: string }>(
        `SELECT user_id, content, created_at, metadata->'legacy'->>'id' AS legacy_id FROM memories WHERE customer_id = 1 AND id = $1`,
        [legacyRowId(1, 'memories', sample.id)],
      );
      expect(stored.rows).toEqual([
        {
          user_id: `+1${sample.user_id.replace(/\D/g, '')}`,
          content: sample.content,
          created_at: new Date(`${sample.naive}Z`),
          legacy_id: sample.id,
        },
      ]);

      const again = await importLegacy({ platformDb, source: legacy.client, customerId });
      expect(again.tables.memories).toEqual({
        read: PLAN_MEMORIES,
        inserted: 0,
        alreadyImported: PLAN_MEMORIES,
        conflicts: 0,
        rejected: 0,
      });
      expect(again.problems).toEqual([]);
      expect(await tenantRowCounts()).toEqual({ memories: PLAN_MEMORIES, caller_contexts: 400, caller_profiles: 0, call_summaries: 0 });
    },
    SLOW_TEST_TIMEOUT_MS,
  );

  it('names a missing required column and writes nothing', async () => {
    const broken = await createLegacyDatabase('CREATE TABLE memories (id INTEGER, user_id TEXT, created_at TIMESTAMPTZ)');
    try {
      await broken.client.query(`INSERT INTO memories VALUES (1, '+12015550100', now())`);
      const audit = () => owner.query('SELECT 1 FROM platform_audit_log').then((result) => result.rowCount);
      const before = await audit();
      await expect(importLegacy({ platformDb, source: broken.client, customerId: 1 })).rejects.toThrow(
        'the legacy database cannot be imported: table memories lacks the required column(s) content',
      );
      expect(await audit()).toBe(before);
    } finally {
      await broken.drop();
    }
  });
});

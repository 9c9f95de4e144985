import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createDb, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { Client } from 'pg';
import type {
  insuranceTemplate} from '../../../test/harness';
import { uniquePhone, uniqueSuffix } from '@neurosphere/testing';
import { createTenantWithTemplate, publishInsuranceTemplate } from '../../../test/harness';
import { importLegacy } from './import-legacy';
import { legacyRowId } from './legacy-id';
import { LEGACY_SCHEMA_SQL } from './legacy-schema';

const run = promisify(execFile);
const env = requireTestDatabaseEnv();

/** A database of the original single-tenant system, created on the test cluster and dropped after. */
async function createLegacyDatabase(): Promise<{ url: string; client: Client; drop(): Promise<void> }> {
  const name = `legacy_memory_${uniqueSuffix()}`;
  const admin = new Client({ connectionString: env.ownerUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(env.ownerUrl);
  url.pathname = `/${name}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(LEGACY_SCHEMA_SQL);
  return {
    url: url.toString(),
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

  it('imports every row under the given customer_id, in batches, and a second run (the CLI) adds nothing', async () => {
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
      memories: ({ read: MEMORIES, inserted: MEMORIES, alreadyImported: 0, conflicts: 0, rejected: 0 }),
      call_summaries: ({ read: SUMMARIES, inserted: SUMMARIES, alreadyImported: 0, conflicts: 0, rejected: 0 }),
      caller_profiles: ({ read: CALLERS, inserted: CALLERS, alreadyImported: 0, conflicts: 0, rejected: 0 }),
      personality_metrics: ({ read: SUMMARIES, inserted: SUMMARIES, alreadyImported: 0, conflicts: 0, rejected: 0 }),
      personality_averages: ({ read: CALLERS, inserted: CALLERS, alreadyImported: 0, conflicts: 0, rejected: 0 }),
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
          legacy: { id: spelled.id, thread_id: expect.stringMatching(/^user_1\d{10}$/), user_id: spelled.user_id },
        },
      }),
    );
    // Two legacy summaries shared a call sid and some had none: each still gets its own unique one.
    const shared = await legacy.client.query<{ id: number }>(`SELECT id FROM call_summaries WHERE call_sid = 'CA-legacy-6' ORDER BY id`);
    const withoutSid = await legacy.client.query<{ id: number }>('SELECT id FROM call_summaries WHERE call_sid IS NULL ORDER BY id LIMIT 1');
    const expectedSids = ['CA-legacy-6', `CA-legacy-6-legacy-${shared.rows[1]!.id}`, `legacy-call_summaries-${withoutSid.rows[0]!.id}`];
    const summaries = await withTenant(appDb, customerId, (tx) =>
      tx.callSummary.findMany({ where: { customerId, callSid: { in: expectedSids } } }),
    );
    expect(summaries.map((summary) => summary.callSid).sort()).toEqual([...expectedSids].sort());
    expect(summaries.every((summary) => summary.status === 'completed' && summary.threadId === `customer_${customerId}_user_${summary.userId.slice(1)}`)).toBe(true);

    // Second run through the command line: same counts read, nothing inserted.
    const cli = await run(
      'npx',
      ['tsx', '--conditions=development', 'src/cli/import-legacy.ts', '--source', legacy.url, '--customer-id', String(customerId), '--batch-size', '500'],
      { cwd: path.resolve(__dirname, '../../..'), env: { ...process.env, LOG_LEVEL: 'warn' } },
    );
    expect(cli.stdout).toContain(`Legacy import into customer ${customerId}`);
    expect(cli.stdout).toMatch(/memories\s+5755\s+0\s+5755\s+0\s+0/);
    expect(cli.stdout).toMatch(/call_summaries\s+1200\s+0\s+1200\s+0\s+0/);
    expect(cli.stdout).toMatch(/caller_profiles\s+400\s+0\s+400\s+0\s+0/);
    expect(cli.stdout).toMatch(/personality_metrics\s+1200\s+0\s+1200\s+0\s+0/);
    expect(cli.stdout).toMatch(/personality_averages\s+400\s+0\s+400\s+0\s+0/);
    expect(await countsIn(customerId)).toEqual(expected);
  });

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
        { table: 'memories', legacyId: 2, reason: 'user_id is not a valid phone number' },
        { table: 'caller_profiles', legacyId: 1, reason: 'collides with an existing row of this tenant (same caller or call sid)' },
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

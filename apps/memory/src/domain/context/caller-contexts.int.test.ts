import { createDb } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { createTestTenant, requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { uniqueCallSid, uniquePhone } from '@neurosphere/testing';
import { Client } from 'pg';

/**
 * The read model behind the call-start read (caller_contexts, migration 20261129400000) is
 * refreshed, when a writing transaction commits, for every caller it touched
 * in memories, call_summaries, caller_profiles or personality_averages. After any committed write,
 * by any role, it must equal what memory_build_caller_context builds from those tables, also when
 * two transactions write one caller at the same time.
 */
describe('caller_contexts (read model of the call-start read)', () => {
  const env = requireTestDatabaseEnv();
  let platformDb: Db;
  let writers: Client[];
  let observer: Client;
  let platform: Client;
  let tenant: number;

  beforeAll(async () => {
    platformDb = createDb({ url: env.platformUrl, poolMax: 1 });
    writers = [new Client({ connectionString: env.appUrl }), new Client({ connectionString: env.appUrl })];
    observer = new Client({ connectionString: env.appUrl });
    platform = new Client({ connectionString: env.platformUrl });
    await Promise.all([...writers, observer, platform].map((client) => client.connect()));
    ({ customerId: tenant } = await createTestTenant(platformDb));
  });

  afterAll(async () => {
    await Promise.all([...writers, observer, platform].map((client) => client.end()));
    await platformDb.$disconnect();
  });

  /** Opens a transaction on `client` scoped to the tenant, as withTenant does. */
  async function beginAsTenant(client: Client): Promise<void> {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.customer_id', $1, true)`, [String(tenant)]);
  }

  /** Runs `statements` as the app role in one transaction scoped to the tenant. */
  async function asTenant(statements: Array<[string, unknown[]?]>): Promise<void> {
    const client = writers[0]!;
    await beginAsTenant(client);
    try {
      for (const [text, values] of statements) await client.query(text, values);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
  }

  /** The stored row's value and a fresh build, both as text (NULL when there is no row / nothing to build). */
  async function storedAndBuilt(userId: string): Promise<{ stored: string | null; built: string | null }> {
    const { rows } = await platform.query<{ stored: string | null; built: string | null }>(
      `SELECT (SELECT context::text FROM caller_contexts WHERE customer_id = $1 AND user_id = $2) AS stored,
              memory_build_caller_context($1, $2)::text AS built`,
      [tenant, userId],
    );
    return rows[0]!;
  }

  async function expectInStep(userId: string): Promise<{ memories: Array<{ content: string }>; profile: unknown } | null> {
    const { stored, built } = await storedAndBuilt(userId);
    expect(stored).toEqual(built);
    return stored === null ? null : (JSON.parse(stored) as { memories: Array<{ content: string }>; profile: unknown });
  }

  it('follows every kind of write, and has no row for a caller with nothing', async () => {
    const caller = uniquePhone();
    const other = uniquePhone();
    expect(await expectInStep(caller)).toBeNull();

    await asTenant([
      [
        `INSERT INTO memories (customer_id, user_id, content, created_at) VALUES ($1, $2, 'Has two cars', now() - interval '1 minute')`,
        [tenant, caller],
      ],
      [`INSERT INTO memories (customer_id, user_id, content) VALUES ($1, $2, 'Prefers email')`, [tenant, caller]],
    ]);
    expect((await expectInStep(caller))!.memories.map((memory) => memory.content)).toEqual(['Prefers email', 'Has two cars']);

    // A pending summary is not in the context; completing it is an UPDATE, which must refresh.
    const callSid = uniqueCallSid();
    await asTenant([
      [
        `INSERT INTO call_summaries (customer_id, call_sid, user_id, summary, status) VALUES ($1, $2, $3, '', 'pending')`,
        [tenant, callSid, caller],
      ],
    ]);
    expect(JSON.parse((await storedAndBuilt(caller)).stored!).summaries).toEqual([]);
    await asTenant([
      [
        `UPDATE call_summaries SET summary = 'Asked about renewal', status = 'completed' WHERE customer_id = $1 AND call_sid = $2`,
        [tenant, callSid],
      ],
      [`INSERT INTO caller_profiles (customer_id, user_id, name, quick_bio) VALUES ($1, $2, 'Pat', 'Pat | Springfield')`, [tenant, caller]],
      [
        `INSERT INTO personality_averages (customer_id, user_id, averages, sample_count) VALUES ($1, $2, '{"warmth": 70}', 1)`,
        [tenant, caller],
      ],
    ]);
    const full = await storedAndBuilt(caller);
    expect(full.stored).toEqual(full.built);
    expect(JSON.parse(full.stored!)).toEqual(
      expect.objectContaining({
        profile: { name: 'Pat', variables: {}, quick_bio: 'Pat | Springfield' },
        summaries: [expect.objectContaining({ call_sid: callSid, summary: 'Asked about renewal' })],
        personality: { averages: { warmth: 70 }, sample_count: 1 },
      }),
    );

    // An UPDATE that moves a row to another caller refreshes both callers.
    await asTenant([
      [`UPDATE memories SET user_id = $3 WHERE customer_id = $1 AND user_id = $2 AND content = 'Prefers email'`, [tenant, caller, other]],
    ]);
    expect((await expectInStep(caller))!.memories.map((memory) => memory.content)).toEqual(['Has two cars']);
    expect((await expectInStep(other))!.memories.map((memory) => memory.content)).toEqual(['Prefers email']);

    // Deleting everything about a caller deletes its row.
    await asTenant([
      [`DELETE FROM memories WHERE customer_id = $1 AND user_id = $2`, [tenant, caller]],
      [`DELETE FROM call_summaries WHERE customer_id = $1 AND user_id = $2`, [tenant, caller]],
      [`DELETE FROM caller_profiles WHERE customer_id = $1 AND user_id = $2`, [tenant, caller]],
    ]);
    expect(await expectInStep(caller)).toEqual(expect.objectContaining({ profile: null, memories: [] }));
    await asTenant([[`DELETE FROM personality_averages WHERE customer_id = $1 AND user_id = $2`, [tenant, caller]]]);
    expect(await storedAndBuilt(caller)).toEqual({ stored: null, built: null });
  });

  it('keeps both changes when two transactions write one caller at the same time', async () => {
    const caller = uniquePhone();
    await asTenant([[`INSERT INTO memories (customer_id, user_id, content) VALUES ($1, $2, 'First call')`, [tenant, caller]]]);
    const [first, second] = writers as [Client, Client];
    for (const client of [first, second]) await beginAsTenant(client);
    await first.query(`INSERT INTO memories (customer_id, user_id, content) VALUES ($1, $2, 'Second call')`, [tenant, caller]);
    await second.query(`INSERT INTO caller_profiles (customer_id, user_id, name) VALUES ($1, $2, 'Robin')`, [tenant, caller]);
    // The read model changes when a writer commits, not before.
    expect((await expectInStep(caller))!.memories.map((memory) => memory.content)).toEqual(['First call']);
    await second.query('COMMIT');
    await first.query('COMMIT');

    const context = await expectInStep(caller);
    expect(context!.memories.map((memory) => memory.content).sort()).toEqual(['First call', 'Second call']);
    expect(context!.profile).toEqual(expect.objectContaining({ name: 'Robin' }));
  });

  it("builds only after it holds the caller's row, so a refresh that holds it first is never overwritten by an older view", async () => {
    const caller = uniquePhone();
    await asTenant([[`INSERT INTO memories (customer_id, user_id, content) VALUES ($1, $2, 'First call')`, [tenant, caller]]]);
    const [holder, writer] = writers as [Client, Client];
    const { rows } = await writer.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');

    // The holder has the caller's row, as a refresh in progress would.
    await beginAsTenant(holder);
    await holder.query('SELECT 1 FROM caller_contexts WHERE customer_id = $1 AND user_id = $2 FOR UPDATE', [tenant, caller]);

    // The writer's refresh (at its commit) has to wait for the row before it builds anything.
    await beginAsTenant(writer);
    await writer.query(`INSERT INTO memories (customer_id, user_id, content) VALUES ($1, $2, 'From the writer')`, [tenant, caller]);
    const committed = writer.query('COMMIT');
    await waitUntilBlocked(rows[0]!.pid);

    // Meanwhile the holder writes and commits. Had the writer built first, its older view
    // (without this memory) would overwrite the holder's refresh when it got the row.
    await holder.query(`INSERT INTO memories (customer_id, user_id, content) VALUES ($1, $2, 'From the holder')`, [tenant, caller]);
    await holder.query('COMMIT');
    await committed;

    const context = await expectInStep(caller);
    expect(context!.memories.map((memory) => memory.content).sort()).toEqual(['First call', 'From the holder', 'From the writer']);
  });

  it('lets an erasure and a memory deletion of one caller run at the same time without a deadlock', async () => {
    const caller = uniquePhone();
    await asTenant([
      [`INSERT INTO memories (customer_id, user_id, content) VALUES ($1, $2, 'Keep me'), ($1, $2, 'Delete me')`, [tenant, caller]],
      [
        `INSERT INTO call_summaries (customer_id, call_sid, user_id, summary) VALUES ($1, $2, $3, 'A call')`,
        [tenant, uniqueCallSid(), caller],
      ],
    ]);
    const [eraser, deleter] = writers as [Client, Client];
    for (const client of [eraser, deleter]) await beginAsTenant(client);
    // The erasure's order (summaries first, then memories), with one memory deleted in between.
    // (Refreshed after each statement, the summaries' refresh took the caller's row, the deletion
    // waited for it, and the erasure's memories then waited for the deletion: a deadlock.)
    await eraser.query('DELETE FROM call_summaries WHERE customer_id = $1 AND user_id = $2', [tenant, caller]);
    await deleter.query(`DELETE FROM memories WHERE customer_id = $1 AND user_id = $2 AND content = 'Delete me'`, [tenant, caller]);
    const erased = eraser.query('DELETE FROM memories WHERE customer_id = $1 AND user_id = $2', [tenant, caller]);
    await deleter.query('COMMIT');
    await erased;
    await eraser.query('COMMIT');

    expect(await storedAndBuilt(caller)).toEqual({ stored: null, built: null });
  });

  it('refreshes every caller a bulk statement touched (the legacy import and seeds write in bulk as the platform role)', async () => {
    const callers = Array.from({ length: 40 }, () => uniquePhone());
    await platform.query(
      `INSERT INTO memories (customer_id, user_id, content)
       SELECT $1, caller, 'Imported note ' || n FROM unnest($2::text[]) AS caller, generate_series(1, 3) AS n`,
      [tenant, callers],
    );
    for (const caller of callers) {
      expect((await expectInStep(caller))!.memories).toHaveLength(3);
    }
  });

  /** Polls until the backend waits on a lock (the other transaction's claim of the caller's row). */
  async function waitUntilBlocked(pid: number): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { rows } = await observer.query<{ wait_event_type: string | null }>(
        'SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1',
        [pid],
      );
      if (rows[0]?.wait_event_type === 'Lock') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`backend ${pid} never waited on a lock`);
  }
});

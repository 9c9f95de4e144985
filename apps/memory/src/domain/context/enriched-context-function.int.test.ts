import { createDb, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { requireTestDatabaseEnv } from '@neurosphere/db/testing';
import { uniquePhone } from '@neurosphere/testing';
import { Client } from 'pg';
import { createTenantWithTemplate, publishInsuranceTemplate } from '../../../test/harness';
import { createMemory } from '../memories/create-memory';

/**
 * The read path's SQL function scopes itself to one tenant like withTenant does, and leaves
 * nothing behind: no tenant setting on the connection afterwards, and no way to re-scope a
 * transaction that already belongs to another tenant.
 */
describe('memory_enriched_context (SQL function)', () => {
  const env = requireTestDatabaseEnv();
  let db: Db;
  let platformDb: Db;
  let client: Client;
  let tenantA: number;
  let tenantB: number;
  const caller = uniquePhone();

  beforeAll(async () => {
    db = createDb({ url: env.appUrl, poolMax: 2 });
    platformDb = createDb({ url: env.platformUrl, poolMax: 1 });
    client = new Client({ connectionString: env.appUrl });
    await client.connect();
    const template = await publishInsuranceTemplate(platformDb, 'insurance-function');
    tenantA = await createTenantWithTemplate(platformDb, template);
    tenantB = await createTenantWithTemplate(platformDb, template);
    await createMemory({ db, customerId: tenantA, userId: caller, content: 'only at A' });
    await createMemory({ db, customerId: tenantB, userId: caller, content: 'only at B' });
  });

  afterAll(async () => {
    await client.end();
    await Promise.all([db.$disconnect(), platformDb.$disconnect()]);
  });

  it("returns one tenant's rows and leaves the connection without a tenant", async () => {
    const { rows } = await client.query<{ context: { caller: { memories: Array<{ content: string }> } } }>(
      'SELECT memory_enriched_context($1, $2) AS context',
      [tenantA, caller],
    );
    expect(rows[0]!.context.caller.memories.map((memory) => memory.content)).toEqual(['only at A']);
    const after = await client.query<{ setting: string | null; visible: string }>(
      `SELECT coalesce(current_setting('app.customer_id', true), '') AS setting, (SELECT count(*) FROM memories)::text AS visible`,
    );
    expect(after.rows[0]).toEqual({ setting: '', visible: '0' });
  });

  it('refuses to re-scope a transaction that belongs to another tenant', async () => {
    await expect(
      withTenant(db, tenantA, (tx) => tx.$queryRaw`SELECT memory_enriched_context(${tenantB}::int, ${caller}::text)`),
    ).rejects.toThrow('memory_enriched_context: the transaction is scoped to another tenant');
  });

  it('refuses a missing or non-positive tenant', async () => {
    await expect(client.query('SELECT memory_enriched_context(0, $1)', [caller])).rejects.toThrow(
      'memory_enriched_context: customer id must be a positive integer',
    );
    await expect(client.query('SELECT memory_enriched_context(NULL, $1)', [caller])).rejects.toThrow(
      'memory_enriched_context: customer id must be a positive integer',
    );
  });
});

import { uniquePhone } from '@neurosphere/testing';
import { Client } from 'pg';
import { createDb } from '../client/create-db';
import type { Db } from '../client/create-db';
import { createTestTenant, requireTestDatabaseEnv } from '../testing';
import { withTenant } from './with-tenant';

/**
 * The tenant setting behind PgBouncer in transaction pooling mode: scripts/test starts PgBouncer in
 * front of the test PostgreSQL and hands this file a URL of a pool with ONE server connection, so
 * every client's transactions take turns on that same connection. withTenant's setting
 * (set_config(..., true), i.e. SET LOCAL) must die with each transaction. Skipped when no PgBouncer
 * runs (scripts/test with DATABASE_URL pointing at another PostgreSQL).
 */
const singleUrl = process.env.NEUROSPHERE_TEST_PGBOUNCER_SINGLE_URL;
const describeWithPgbouncer = singleUrl ? describe : describe.skip;

describeWithPgbouncer('the tenant setting through PgBouncer with one server connection', () => {
  const env = requireTestDatabaseEnv();
  let platformDb: Db;
  let appDb: Db;
  let pooledDb: Db;
  const clients: Client[] = [];
  const tenants: { customerId: number; phone: string }[] = [];

  async function pooledClient(): Promise<Client> {
    const client = new Client({ connectionString: singleUrl });
    await client.connect();
    clients.push(client);
    return client;
  }

  const settingOf = async (client: Client) =>
    (await client.query<{ setting: string | null }>(`select current_setting('app.customer_id', true) as setting`)).rows[0]!.setting;

  beforeAll(async () => {
    platformDb = createDb({ url: env.platformUrl, poolMax: 1 });
    appDb = createDb({ url: env.appUrl, poolMax: 1 });
    // Several client connections, all multiplexed onto PgBouncer's one server connection.
    pooledDb = createDb({ url: singleUrl!, poolMax: 4 });
    for (let index = 0; index < 2; index++) {
      const { customerId } = await createTestTenant(platformDb);
      const phone = uniquePhone();
      await withTenant(appDb, customerId, (tx) =>
        tx.callerProfile.create({ data: { customerId, userId: phone, name: `Caller ${index}` } }),
      );
      tenants.push({ customerId, phone });
    }
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end()));
    await Promise.all([platformDb.$disconnect(), appDb.$disconnect(), pooledDb.$disconnect()]);
  });

  it('really shares one server connection (a session-level setting would leak to the next client)', async () => {
    const [first, second] = [await pooledClient(), await pooledClient()];
    const pid = async (client: Client) => (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    expect(await pid(first)).toBe(await pid(second));
    // What withTenant must never do: a session-level set_config outlives the transaction, and the
    // other client, on the same server connection, sees it.
    await first.query(`select set_config('app.customer_id', $1, false)`, [String(tenants[0]!.customerId)]);
    try {
      expect(await settingOf(second)).toBe(String(tenants[0]!.customerId));
    } finally {
      await second.query('reset app.customer_id');
    }
    expect(await settingOf(first)).toBeFalsy();
  });

  it('never carries a SET LOCAL tenant into the next transaction on the connection', async () => {
    const [a, b] = [await pooledClient(), await pooledClient()];
    const [tenantA, tenantB] = tenants as [(typeof tenants)[0], (typeof tenants)[0]];
    await a.query('begin');
    await a.query(`select set_config('app.customer_id', $1, true)`, [String(tenantA.customerId)]);
    expect(await settingOf(a)).toBe(String(tenantA.customerId));
    // B's transaction asks for the connection while A's holds it: PgBouncer queues it until A commits.
    const bTransaction = (async () => {
      await b.query('begin');
      const inherited = await settingOf(b);
      const visible = (await b.query<{ user_id: string }>('select user_id from caller_profiles')).rows.map((row) => row.user_id);
      await b.query(`select set_config('app.customer_id', $1, true)`, [String(tenantB.customerId)]);
      const own = (await b.query<{ user_id: string }>('select user_id from caller_profiles')).rows.map((row) => row.user_id);
      await b.query('commit');
      return { inherited, visible, own };
    })();
    const aRows = (await a.query<{ user_id: string }>('select user_id from caller_profiles')).rows.map((row) => row.user_id);
    await a.query('commit');
    const seenByB = await bTransaction;

    expect(aRows).toEqual([tenantA.phone]);
    // Fail closed: no tenant set, no rows; and A's id is not what B starts with.
    expect(seenByB.inherited).toBeFalsy();
    expect(seenByB.visible).toEqual([]);
    expect(seenByB.own).toEqual([tenantB.phone]);
    expect(await settingOf(a)).toBeFalsy();
  });

  it('keeps interleaved withTenant transactions of two tenants apart', async () => {
    const rounds = Array.from({ length: 12 }, (_unused, index) => tenants[index % 2]!);
    const seen = await Promise.all(
      rounds.map(({ customerId }) =>
        withTenant(pooledDb, customerId, async (tx) => {
          const [row] = await tx.$queryRaw<{ setting: string }[]>`select current_setting('app.customer_id', true) as setting`;
          const callers = await tx.callerProfile.findMany({ select: { userId: true } });
          return { customerId, setting: row!.setting, callers: callers.map((caller) => caller.userId) };
        }),
      ),
    );
    for (const result of seen) {
      const own = tenants.find((tenant) => tenant.customerId === result.customerId)!;
      expect(result).toEqual({ customerId: own.customerId, setting: String(own.customerId), callers: [own.phone] });
    }
    // And after them all, the connection has no tenant.
    expect(await settingOf(await pooledClient())).toBeFalsy();
  });
});

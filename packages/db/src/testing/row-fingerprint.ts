import { Client } from 'pg';

export interface RowFingerprinter {
  /**
   * One string that changes when any row is inserted, updated or deleted: every table's row count
   * and the sum of its rows' hashes. With `customerId`, only that tenant's rows of tenant tables.
   */
  fingerprint(options?: { customerId?: number }): Promise<string>;
  close(): Promise<void>;
}

/**
 * Fingerprints of a database's rows, read as its owner (a superuser in test runs) with row
 * security off, so a policy can never hide a row from the count. For tests that show a refused
 * request wrote nothing. `exclude` names tables whose rows change for reasons other than the
 * request's own work (e.g. a session's last-seen time).
 */
export async function createRowFingerprinter(options: { ownerUrl: string; exclude?: readonly string[] }): Promise<RowFingerprinter> {
  const client = new Client({ connectionString: options.ownerUrl });
  await client.connect();
  await client.query('SET row_security = off');
  const { rows } = await client.query<{ table_name: string; tenant: boolean }>(
    `SELECT t.table_name, EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'customer_id') AS tenant
       FROM information_schema.tables t
      WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name <> '_prisma_migrations'
      ORDER BY t.table_name`,
  );
  const tables = rows.filter((row) => !(options.exclude ?? []).includes(row.table_name));
  return {
    async fingerprint({ customerId } = {}) {
      const scoped = customerId === undefined ? tables : tables.filter((table) => table.tenant);
      const parts = scoped.map((table) => {
        const name = client.escapeIdentifier(table.table_name);
        const where = customerId === undefined ? '' : ' WHERE customer_id = $1';
        return `SELECT ${client.escapeLiteral(table.table_name)} AS name, count(*) AS n, coalesce(sum(hashtext(t::text)::bigint), 0) AS h FROM ${name} t${where}`;
      });
      const result = await client.query<{ name: string; n: string; h: string }>(
        parts.join(' UNION ALL '),
        customerId === undefined ? [] : [customerId],
      );
      return result.rows.map((row) => `${row.name}:${row.n}:${row.h}`).join(',');
    },
    close: () => client.end(),
  };
}

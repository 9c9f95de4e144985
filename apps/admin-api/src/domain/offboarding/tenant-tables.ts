import type { TenantTx } from '@neurosphere/db';

/**
 * Every tenant table, read from the catalog (a table with a NOT NULL customer_id), in an order in
 * which rows can be deleted: a table before the tenant tables it references. New tenant tables are
 * covered without changes here.
 */
export async function tenantTablesInDeleteOrder(tx: TenantTx): Promise<string[]> {
  const tables = await tx.$queryRaw<Array<{ table_name: string }>>`
    SELECT c.relname::text AS table_name
      FROM pg_attribute a
      JOIN pg_class c ON c.oid = a.attrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attname = 'customer_id' AND a.attnotnull AND NOT a.attisdropped
     ORDER BY 1`;
  const references = await tx.$queryRaw<Array<{ from_table: string; to_table: string }>>`
    SELECT src.relname::text AS from_table, dst.relname::text AS to_table
      FROM pg_constraint k
      JOIN pg_class src ON src.oid = k.conrelid
      JOIN pg_class dst ON dst.oid = k.confrelid
      JOIN pg_namespace n ON n.oid = src.relnamespace
     WHERE k.contype = 'f' AND n.nspname = 'public' AND src.oid <> dst.oid`;
  const names = tables.map((row) => row.table_name);
  const referencedBy = new Map<string, Set<string>>(names.map((name) => [name, new Set<string>()]));
  for (const { from_table: from, to_table: to } of references) {
    if (referencedBy.has(from) && referencedBy.has(to)) referencedBy.get(to)!.add(from);
  }
  // Depth-first: everything that references a table comes before it.
  const ordered: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (ordered.includes(name) || path.has(name)) return;
    path.add(name);
    for (const referrer of [...referencedBy.get(name)!].sort()) visit(referrer, path);
    path.delete(name);
    ordered.push(name);
  };
  for (const name of names) visit(name, new Set());
  return ordered;
}

import { DISTRIBUTION_COLUMN, SHARED_TABLES, TENANT_ROOT } from './table-placement';
import type { SharedTable } from './table-placement';

/** What runs a query: a pg Client, Pool or PoolClient. */
export interface Queryable {
  query<Row extends object>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

export interface DistributedTable {
  table: string;
  /** The distribution column: `id` for the tenant root, `customer_id` for tenant tables. */
  column: string;
  /** Null for the tenant root (it starts the colocation group), the root's name for the others. */
  colocateWith: string | null;
}

/** How the schema maps onto a distributed database, read from its catalog. */
export interface DistributionPlan {
  /** Shared tables copied to every node, each after the reference tables it references. */
  referenceTables: string[];
  /** The tenant root first, then the tenant tables, each after the tables it references. */
  distributedTables: DistributedTable[];
  /** Shared tables that stay on the coordinator. */
  localTables: string[];
  /** Tables with user-defined triggers: Citus only distributes them with citus.enable_unsafe_triggers. */
  tablesWithTriggers: string[];
  /** Every rule a table breaks, one sentence each; empty when the schema is distributable. */
  violations: string[];
}

export interface ReadDistributionPlanOptions {
  /** Schema to read (default `public`). */
  schema?: string;
  /** The shared tables and their placement (default SHARED_TABLES). */
  sharedTables?: Readonly<Record<string, SharedTable>>;
  root?: { table: string; column: string };
}

type Placement = 'root' | 'tenant' | 'reference' | 'local';

interface Column {
  name: string;
  notNull: boolean;
}

interface ForeignKey {
  name: string;
  from: string;
  to: string | null;
  fromColumns: string[];
  toColumns: string[];
  onUpdate: string;
  onDelete: string;
}

const ACTION_NAMES: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/**
 * Reads the catalog of a migrated database and checks that it can be distributed by tenant the
 * way Citus requires (docs/architecture.md §7.4):
 * - every table is the tenant root, a tenant table (it has customer_id) or a listed shared table;
 * - a distributed table's distribution column is NOT NULL, it has a primary key, and its primary
 *   key, every unique index and every exclusion constraint include that column;
 * - a foreign key from a distributed table goes to a reference table, or to a distributed table
 *   with the distribution column matched to the distribution column;
 * - a foreign key that contains the distribution column never changes it on update (no ON UPDATE
 *   CASCADE / SET NULL / SET DEFAULT) nor nulls it on delete (no ON DELETE SET NULL / SET DEFAULT);
 * - reference tables reference only reference tables; local tables reference nothing and nothing
 *   distributed references them.
 * It also orders the tables so that each comes after the tables it references (the order Citus
 * needs to distribute them). Reads only; changes nothing.
 */
export async function readDistributionPlan(db: Queryable, options: ReadDistributionPlanOptions = {}): Promise<DistributionPlan> {
  const schema = options.schema ?? 'public';
  const shared = options.sharedTables ?? SHARED_TABLES;
  const root = options.root ?? TENANT_ROOT;

  const { rows: tableRows } = await db.query<{ oid: number; name: string }>(
    `SELECT c.oid::int AS oid, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY c.relname`,
    [schema],
  );
  const tableName = new Map(tableRows.map((row) => [row.oid, row.name]));

  const { rows: columnRows } = await db.query<{ oid: number; attnum: number; name: string; not_null: boolean }>(
    `SELECT a.attrelid::int AS oid, a.attnum::int AS attnum, a.attname AS name, a.attnotnull AS not_null
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema],
  );
  const columns = new Map<number, Map<number, Column>>();
  for (const row of columnRows) {
    const byNumber = columns.get(row.oid) ?? new Map<number, Column>();
    byNumber.set(row.attnum, { name: row.name, notNull: row.not_null });
    columns.set(row.oid, byNumber);
  }
  const columnNames = (oid: number, numbers: number[]) => numbers.map((number) => columns.get(oid)?.get(number)?.name ?? '(expression)');

  const { rows: keyRows } = await db.query<{
    oid: number;
    name: string;
    kind: 'primary key' | 'unique index' | 'exclusion constraint';
    columns: number[];
  }>(
    `SELECT i.indrelid::int AS oid, ic.relname AS name,
            CASE WHEN i.indisprimary THEN 'primary key' ELSE 'unique index' END AS kind,
            (i.indkey::int2[])[0:i.indnkeyatts - 1]::int[] AS columns
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = $1 AND i.indisunique
     UNION ALL
     SELECT con.conrelid::int, con.conname, 'exclusion constraint', con.conkey::int[]
       FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
      WHERE n.nspname = $1 AND con.contype = 'x'
      ORDER BY 2`,
    [schema],
  );

  const { rows: foreignKeyRows } = await db.query<{
    name: string;
    from_oid: number;
    to_oid: number;
    from_columns: number[];
    to_columns: number[];
    on_update: string;
    on_delete: string;
  }>(
    `SELECT con.conname AS name, con.conrelid::int AS from_oid, con.confrelid::int AS to_oid,
            con.conkey::int[] AS from_columns, con.confkey::int[] AS to_columns,
            con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete
       FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
      WHERE n.nspname = $1 AND con.contype = 'f'
      ORDER BY con.conname`,
    [schema],
  );
  const foreignKeys: ForeignKey[] = foreignKeyRows.map((row) => ({
    name: row.name,
    from: tableName.get(row.from_oid)!,
    to: tableName.get(row.to_oid) ?? null,
    fromColumns: columnNames(row.from_oid, row.from_columns),
    toColumns: columnNames(row.to_oid, row.to_columns),
    onUpdate: row.on_update,
    onDelete: row.on_delete,
  }));

  const { rows: triggerRows } = await db.query<{ name: string }>(
    `SELECT DISTINCT c.relname AS name
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND NOT t.tgisinternal
      ORDER BY 1`,
    [schema],
  );

  const violations: string[] = [];
  const placement = new Map<string, Placement>();
  const distributionColumn = new Map<string, string>();
  for (const { oid, name } of tableRows) {
    const tableColumns = [...(columns.get(oid)?.values() ?? [])];
    const listed = Object.hasOwn(shared, name) ? shared[name] : undefined;
    if (name === root.table) {
      placement.set(name, 'root');
      distributionColumn.set(name, root.column);
    } else if (listed) {
      placement.set(name, listed.placement);
    } else if (tableColumns.some((column) => column.name === DISTRIBUTION_COLUMN)) {
      placement.set(name, 'tenant');
      distributionColumn.set(name, DISTRIBUTION_COLUMN);
    } else {
      violations.push(
        `${name}: has no ${DISTRIBUTION_COLUMN} and is not listed as a shared table (src/distribution/table-placement.ts): a tenant table needs ${DISTRIBUTION_COLUMN}, a shared one a placement`,
      );
      continue;
    }
    const column = distributionColumn.get(name);
    if (column === undefined) continue;
    const found = tableColumns.find((candidate) => candidate.name === column);
    if (!found) violations.push(`${name}: has no distribution column ${column}`);
    else if (!found.notNull) violations.push(`${name}: ${column} must be NOT NULL`);
  }
  for (const name of Object.keys(shared)) {
    if (!placement.has(name)) violations.push(`${name}: is listed as a shared table but does not exist`);
  }
  if (!placement.has(root.table)) violations.push(`${root.table}: the tenant root table does not exist`);

  // Keys of distributed tables.
  for (const { oid, name } of tableRows) {
    const column = distributionColumn.get(name);
    if (column === undefined) continue;
    const keys = keyRows.filter((key) => key.oid === oid);
    if (!keys.some((key) => key.kind === 'primary key')) violations.push(`${name}: has no primary key (it must include ${column})`);
    for (const key of keys) {
      const keyColumns = columnNames(oid, key.columns);
      if (!keyColumns.includes(column)) {
        violations.push(`${name}: ${key.kind} ${key.name} (${keyColumns.join(', ')}) does not include ${column}`);
      }
    }
  }

  // Foreign keys.
  const describe = (key: ForeignKey) => `foreign key ${key.name} (${key.fromColumns.join(', ')}) -> ${key.to ?? '(another schema)'}`;
  for (const key of foreignKeys) {
    const from = placement.get(key.from);
    const to = key.to === null ? undefined : placement.get(key.to);
    if (from === undefined) continue; // unclassified: reported above
    if (key.to === null) {
      violations.push(`${key.from}: ${describe(key)} references a table outside the schema`);
      continue;
    }
    if (to === undefined) continue;
    const fromDistributed = from === 'root' || from === 'tenant';
    const toDistributed = to === 'root' || to === 'tenant';
    if (from === 'local') {
      violations.push(`${key.from}: ${describe(key)}: a local (coordinator-only) table may not have foreign keys`);
      continue;
    }
    if (from === 'reference' && to !== 'reference') {
      violations.push(`${key.from}: ${describe(key)}: a reference table may reference only reference tables`);
      continue;
    }
    if (fromDistributed && to === 'local') {
      violations.push(`${key.from}: ${describe(key)}: a distributed table may not reference a local (coordinator-only) table`);
      continue;
    }
    if (!fromDistributed) continue;
    const ownColumn = distributionColumn.get(key.from)!;
    const position = key.fromColumns.indexOf(ownColumn);
    if (toDistributed && key.to !== key.from) {
      const theirColumn = distributionColumn.get(key.to)!;
      if (position === -1 || key.toColumns[position] !== theirColumn) {
        violations.push(`${key.from}: ${describe(key)} must match ${ownColumn} to ${key.to}.${theirColumn}`);
      }
    }
    if (position !== -1) {
      if (['c', 'n', 'd'].includes(key.onUpdate)) {
        violations.push(`${key.from}: ${describe(key)} contains ${ownColumn}, so it must not be ON UPDATE ${ACTION_NAMES[key.onUpdate]}`);
      }
      if (['n', 'd'].includes(key.onDelete)) {
        violations.push(`${key.from}: ${describe(key)} contains ${ownColumn}, so it must not be ON DELETE ${ACTION_NAMES[key.onDelete]}`);
      }
    }
  }

  const ordered = (names: string[]) => dependencyOrder(names, foreignKeys, violations);
  const referenceTables = ordered([...placement].filter(([, kind]) => kind === 'reference').map(([name]) => name));
  const tenantTables = ordered([...placement].filter(([, kind]) => kind === 'tenant').map(([name]) => name));
  return {
    referenceTables,
    distributedTables: [
      ...(placement.get(root.table) === 'root' ? [{ table: root.table, column: root.column, colocateWith: null }] : []),
      ...tenantTables.map((table) => ({ table, column: DISTRIBUTION_COLUMN, colocateWith: root.table })),
    ],
    localTables: [...placement].filter(([, kind]) => kind === 'local').map(([name]) => name),
    tablesWithTriggers: triggerRows.map((row) => row.name),
    violations,
  };
}

/**
 * `names` ordered so that every table comes after the tables (among `names`) it references;
 * alphabetical where the order is free, so the output is stable.
 */
function dependencyOrder(names: string[], foreignKeys: ForeignKey[], violations: string[]): string[] {
  const pending = new Set(names);
  const needs = new Map(names.map((name) => [name, new Set<string>()]));
  for (const key of foreignKeys) {
    if (key.to !== null && key.to !== key.from && pending.has(key.from) && pending.has(key.to)) needs.get(key.from)!.add(key.to);
  }
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter((name) => [...needs.get(name)!].every((needed) => !pending.has(needed))).sort();
    if (ready.length === 0) {
      violations.push(`${[...pending].sort().join(', ')}: reference each other in a cycle; they cannot be distributed one after another`);
      order.push(...[...pending].sort());
      break;
    }
    const next = ready[0]!;
    order.push(next);
    pending.delete(next);
  }
  return order;
}

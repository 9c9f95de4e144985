import type { DistributionPlan } from './read-distribution-plan';
import { SHARED_TABLES } from './table-placement';
import type { SharedTable } from './table-placement';

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Wraps `text` into `-- ` comment lines of at most 100 characters. */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = '--';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length + 1 + word.length > 100 && line !== '--') {
      lines.push(line);
      line = '--';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

/**
 * The SQL that distributes the schema on Citus (infra/citus/distribute.sql), from the plan read off
 * a migrated database. Throws when the plan has violations: such a schema cannot be distributed.
 */
export function renderCitusSql(plan: DistributionPlan, sharedTables: Readonly<Record<string, SharedTable>> = SHARED_TABLES): string {
  if (plan.violations.length > 0) {
    throw new Error(`the schema cannot be distributed by tenant:\n${plan.violations.map((violation) => `- ${violation}`).join('\n')}`);
  }
  const why = (table: string) => (Object.hasOwn(sharedTables, table) ? sharedTables[table]!.why : '');
  const root = plan.distributedTables.find((table) => table.colocateWith === null);
  const lines = [
    ...comment(
      'Distributes the NeuroSphere schema on Citus by tenant (docs/architecture.md §7.4). Generated from the catalog of a ' +
        'migrated database by `pnpm --silent --filter @neurosphere/db citus-sql > infra/citus/distribute.sql`; ' +
        'packages/db/src/distribution/distribution.int.test.ts fails when this file and the migrations disagree, so do not edit it by hand.',
    ),
    '--',
    ...comment(
      'Run it once, as the table owner, on the Citus coordinator: after CREATE EXTENSION citus, adding the worker nodes and ' +
        'applying the migrations there (pnpm db:migrate with DATABASE_OWNER_URL pointing at the coordinator). Each call ' +
        'distributes one table and moves its rows; a table must be distributed after every table it references, which is the ' +
        'order below.',
    ),
    ...(plan.tablesWithTriggers.length > 0
      ? [
          '--',
          ...comment(
            `Before running it: these tables have triggers, and Citus distributes such a table only with ` +
              `citus.enable_unsafe_triggers on, then fires the triggers on the shards: ${plan.tablesWithTriggers.join(', ')}. ` +
              'The memory read model (caller_contexts, migration 20261129400000) is kept by them; verify it on the Citus version ' +
              'in use, or move its refresh into the writers, first.',
          ),
        ]
      : []),
    '',
    ...comment('Reference tables: shared by all tenants, a copy on every node.'),
  ];
  for (const table of plan.referenceTables) {
    lines.push(...comment(`${table}: ${why(table)}.`), `SELECT create_reference_table(${quote(table)});`);
  }
  lines.push('');
  if (root) {
    lines.push(
      ...comment(`The tenant root, distributed by its own id: it starts the colocation group every tenant table joins.`),
      `SELECT create_distributed_table(${quote(root.table)}, ${quote(root.column)});`,
      '',
      ...comment(
        `Tenant tables, distributed by ${plan.distributedTables.find((table) => table.colocateWith !== null)?.column ?? 'customer_id'} ` +
          `and co-located with ${root.table}: all rows of a tenant on one node, so every query that names its tenant runs on that node alone.`,
      ),
    );
  }
  for (const table of plan.distributedTables) {
    if (table.colocateWith === null) continue;
    lines.push(
      `SELECT create_distributed_table(${quote(table.table)}, ${quote(table.column)}, colocate_with => ${quote(table.colocateWith)});`,
    );
  }
  if (plan.localTables.length > 0) {
    lines.push('', ...comment('Local tables stay on the coordinator (nothing to run):'));
    for (const table of plan.localTables) lines.push(...comment(`${table}: ${why(table)}.`));
  }
  return `${lines.join('\n')}\n`;
}

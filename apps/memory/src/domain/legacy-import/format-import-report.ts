import { LEGACY_TABLES } from './legacy-schema';
import type { ImportLegacyResult } from './import-legacy';

/**
 * The counts per table as a plain-text table, then every row that was not imported; a dry run
 * says so in its first line, counts what it would insert and shows sample rows as they would be
 * written.
 */
export function formatImportReport(result: ImportLegacyResult): string {
  const header = ['table', 'read', result.dryRun ? 'would insert' : 'inserted', 'already imported', 'conflicts', 'rejected'];
  const present = LEGACY_TABLES.filter((table) => !result.absent.includes(table));
  const rows = present.map((table) => {
    const counts = result.tables[table];
    return [table, counts.read, counts.inserted, counts.alreadyImported, counts.conflicts, counts.rejected].map(String);
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const lines = [
    result.dryRun
      ? `Dry run: legacy import into customer ${result.customerId} (nothing written)`
      : `Legacy import into customer ${result.customerId}`,
    line(header),
    ...rows.map(line),
  ];
  if (result.absent.length > 0) lines.push(`Not in the source: ${result.absent.join(', ')}`);
  if (result.dryRun) lines.push('Conflicts with rows the tenant already has (same caller, same call sid) show only in a real run.');
  if (result.problems.length > 0) {
    lines.push('', `${result.problems.length} row(s) not imported:`);
    for (const problem of result.problems) lines.push(`  ${problem.table} #${problem.legacyId ?? '-'}: ${problem.reason}`);
  }
  const samples = present.filter((table) => result.samples[table].length > 0);
  if (samples.length > 0) {
    lines.push('', 'Sample rows as they would be written:');
    for (const table of samples) {
      for (const sample of result.samples[table]) lines.push(`  ${table} #${sample.legacyId}: ${JSON.stringify(sample.row)}`);
    }
  }
  return lines.join('\n');
}

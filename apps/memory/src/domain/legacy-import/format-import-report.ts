import { LEGACY_TABLES } from './legacy-schema';
import type { ImportLegacyResult } from './import-legacy';

/** The counts per table as a plain-text table, then every row that was not imported. */
export function formatImportReport(result: ImportLegacyResult): string {
  const header = ['table', 'read', 'inserted', 'already imported', 'conflicts', 'rejected'];
  const rows = LEGACY_TABLES.map((table) => {
    const counts = result.tables[table];
    return [table, counts.read, counts.inserted, counts.alreadyImported, counts.conflicts, counts.rejected].map(String);
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const lines = [`Legacy import into customer ${result.customerId}`, line(header), ...rows.map(line)];
  if (result.problems.length > 0) {
    lines.push('', `${result.problems.length} row(s) not imported:`);
    for (const problem of result.problems) lines.push(`  ${problem.table} #${problem.legacyId}: ${problem.reason}`);
  }
  return lines.join('\n');
}

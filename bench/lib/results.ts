import { appendFileSync } from 'node:fs';

/**
 * One line of the results table `pnpm bench` prints: a figure of the service next to the same
 * figure of its bare baseline, measured in the same run, and the target it is held to.
 */
export interface ResultRow {
  /** The benchmark's name as `pnpm bench <name>` takes it. */
  benchmark: string;
  /** What is measured, with its conditions (e.g. "p99, paced 200 req/s, 32 connections"). */
  figure: string;
  /** The service's figure, with its unit. */
  service: string;
  /** The bare baseline's figure from the same run, with its unit. */
  bare?: string;
  /** service / bare, e.g. "x2.31". */
  ratio?: string;
  /** e.g. "<= 10 ms". */
  target?: string;
  /** Whether the target was met; undefined when the figure has no target. */
  met?: boolean;
}

/**
 * Hands the rows to `pnpm bench` (bench/run.ts), which collects every benchmark's rows into one
 * table: appended as JSON lines to BENCH_RESULTS_FILE. Run on its own (without the runner), a
 * benchmark prints the same table itself.
 */
export function reportResults(rows: ResultRow[]): void {
  const file = process.env.BENCH_RESULTS_FILE;
  if (file) appendFileSync(file, rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  else console.log(`\n${formatResultsTable(rows)}`);
}

/** A ratio of two figures as "x1.23" (empty when either is missing or zero). */
export function ratio(service: number, bare: number): string {
  return Number.isFinite(service) && Number.isFinite(bare) && bare !== 0 ? `x${(service / bare).toFixed(2)}` : '';
}

const HEADER = ['benchmark', 'figure', 'service', 'bare, same run', 'ratio', 'target', 'met?'];

/** The rows as a Markdown table (readable in a terminal, pasteable into docs/benchmarks.md). */
export function formatResultsTable(rows: ResultRow[]): string {
  const cells = rows.map((row) => [
    row.benchmark,
    row.figure,
    row.service,
    row.bare ?? '',
    row.ratio ?? '',
    row.target ?? '',
    row.met === undefined ? '' : row.met ? 'yes' : 'NO',
  ]);
  const widths = HEADER.map((title, column) => Math.max(title.length, ...cells.map((row) => row[column]!.length)));
  const line = (values: string[]) => `| ${values.map((value, column) => value.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(HEADER), `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`, ...cells.map(line)].join('\n');
}

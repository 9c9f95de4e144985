import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** What infra/jest-summary-reporter.cjs writes for one package's jest run. */
export interface JestPackageReport {
  packageName: string;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  suites: Array<{
    file: string;
    numFailingTests: number;
    /** The suite failed although no test in it did: it did not compile, or a hook threw. */
    failedOutsideTests: boolean;
    failedTests: string[];
  }>;
}

export interface TestTotals {
  passed: number;
  failed: number;
  skipped: number;
  /** One line per failure, for the closing summary. */
  failures: string[];
}

export function readJestReports(dir: string): JestPackageReport[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as JestPackageReport);
}

/**
 * Adds up passed and failed tests across packages. A failure that is not a test's (a suite that did
 * not compile, a throwing afterAll, a package whose jest never reported because it crashed) counts
 * as one failed test, so the closing line never says "0 failed" about a broken run.
 */
export function totalJestReports(reports: readonly JestPackageReport[], expectedPackages: readonly string[]): TestTotals {
  const totals: TestTotals = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for (const report of reports) {
    totals.passed += report.numPassedTests;
    totals.failed += report.numFailedTests;
    totals.skipped += report.numPendingTests;
    for (const suite of report.suites) {
      for (const test of suite.failedTests) totals.failures.push(`${report.packageName}: ${suite.file} › ${test}`);
      if (suite.failedOutsideTests) {
        totals.failed += 1;
        totals.failures.push(`${report.packageName}: ${suite.file} failed to run`);
      }
    }
  }
  const reported = new Set(reports.map((report) => report.packageName));
  for (const name of expectedPackages) {
    if (!reported.has(name)) {
      totals.failed += 1;
      totals.failures.push(`${name}: jest did not report (crashed, timed out or was not run)`);
    }
  }
  return totals;
}

/** The closing line CI reads: exactly "N passed, N failed". */
export function closingLine(totals: TestTotals): string {
  return `${totals.passed} passed, ${totals.failed} failed`;
}

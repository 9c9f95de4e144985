import { closingLine, totalJestReports } from './jest-reports';
import type { JestPackageReport } from './jest-reports';

function report(overrides: Partial<JestPackageReport>): JestPackageReport {
  return { packageName: '@neurosphere/x', numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, suites: [], ...overrides };
}

describe('totals across packages', () => {
  it('adds up passed and failed tests and lists each failure', () => {
    const totals = totalJestReports(
      [
        report({ packageName: '@neurosphere/db', numPassedTests: 10 }),
        report({
          packageName: '@neurosphere/memory',
          numPassedTests: 4,
          numFailedTests: 2,
          suites: [{ file: 'src/a.test.ts', numFailingTests: 2, failedOutsideTests: false, failedTests: ['a works', 'a fails'] }],
        }),
      ],
      ['@neurosphere/db', '@neurosphere/memory'],
    );
    expect(closingLine(totals)).toBe('14 passed, 2 failed');
    expect(totals.failures).toEqual(['@neurosphere/memory: src/a.test.ts › a works', '@neurosphere/memory: src/a.test.ts › a fails']);
  });

  it('counts a suite that failed to run as a failure', () => {
    const totals = totalJestReports(
      [
        report({
          numPassedTests: 3,
          suites: [{ file: 'src/broken.test.ts', numFailingTests: 0, failedOutsideTests: true, failedTests: [] }],
        }),
      ],
      ['@neurosphere/x'],
    );
    expect(closingLine(totals)).toBe('3 passed, 1 failed');
  });

  it('counts a package whose jest never reported as a failure', () => {
    const totals = totalJestReports([report({ numPassedTests: 5 })], ['@neurosphere/x', '@neurosphere/sms']);
    expect(closingLine(totals)).toBe('5 passed, 1 failed');
    expect(totals.failures).toEqual(['@neurosphere/sms: jest did not report (crashed, timed out or was not run)']);
  });

  it('says 0 passed, 0 failed when there is nothing to run', () => {
    expect(closingLine(totalJestReports([], []))).toBe('0 passed, 0 failed');
  });
});

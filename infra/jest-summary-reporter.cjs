// A jest reporter that scripts/test adds to every package's run (--reporters): it writes the run's
// counts as JSON to $NEUROSPHERE_TEST_REPORT_DIR/<package>.json, so the totals across packages come
// from jest's own results rather than from parsing console output. Read by
// infra/src/test-run/jest-reports.ts. Plain CommonJS: jest loads reporters without transforming them.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_testContexts, results) {
    const reportDir = process.env.NEUROSPHERE_TEST_REPORT_DIR;
    if (!reportDir) return;
    let packageName = path.basename(this.rootDir);
    try {
      packageName = JSON.parse(fs.readFileSync(path.join(this.rootDir, 'package.json'), 'utf8')).name || packageName;
    } catch {
      // a rootDir without package.json keeps its folder name
    }
    const report = {
      packageName,
      numPassedTests: results.numPassedTests,
      numFailedTests: results.numFailedTests,
      numPendingTests: results.numPendingTests + results.numTodoTests,
      suites: results.testResults.map((suite) => ({
        file: path.relative(this.rootDir, suite.testFilePath),
        numFailingTests: suite.numFailingTests,
        failedOutsideTests: suite.numFailingTests === 0 && Boolean(suite.testExecError || suite.failureMessage),
        failedTests: suite.testResults.filter((test) => test.status === 'failed').map((test) => test.fullName),
      })),
    };
    fs.mkdirSync(reportDir, { recursive: true });
    fs.writeFileSync(path.join(reportDir, `${packageName.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`), JSON.stringify(report, null, 2));
  }
}

module.exports = SummaryReporter;

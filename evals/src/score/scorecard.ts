import type { Check } from './score-scenario';

export interface ScenarioResult {
  /** `<industry>/<scenario id>`. */
  name: string;
  title: string;
  checks: Check[];
  /** The call could not be played at all (the platform answered an error): the scenario fails. */
  error?: string;
}

export interface Scorecard {
  scenarios: number;
  passed: number;
  failed: number;
  checks: number;
  failedChecks: number;
  /** The printed scorecard. */
  text: string;
}

export function scenarioPassed(result: ScenarioResult): boolean {
  return result.error === undefined && result.checks.every((check) => check.pass);
}

/**
 * The scorecard: one line per scenario (PASS or FAIL, checks passed of all), every check of a
 * failed scenario with what was seen instead, then the totals. `verbose` lists the checks of
 * passed scenarios too.
 */
export function renderScorecard(results: ScenarioResult[], options: { model: string; verbose?: boolean }): Scorecard {
  const lines: string[] = [];
  const width = Math.max(...results.map((result) => result.name.length), 10);
  let passed = 0;
  let checks = 0;
  let failedChecks = 0;
  for (const result of results) {
    const ok = scenarioPassed(result);
    const passedChecks = result.checks.filter((check) => check.pass).length;
    checks += result.checks.length;
    failedChecks += result.checks.length - passedChecks;
    if (ok) passed += 1;
    lines.push(`${ok ? 'PASS' : 'FAIL'}  ${result.name.padEnd(width)}  ${passedChecks}/${result.checks.length} checks  ${result.title}`);
    if (result.error) lines.push(`      ✗ the call could not be played: ${result.error}`);
    if (!ok || options.verbose) {
      for (const check of result.checks)
        lines.push(`      ${check.pass ? '✓' : '✗'} ${check.label}${check.pass || !check.detail ? '' : ` (${check.detail})`}`);
    }
  }
  const failed = results.length - passed;
  lines.push('');
  lines.push(`model: ${options.model}`);
  lines.push(
    `scenarios: ${passed} passed, ${failed} failed (of ${results.length}); checks: ${checks - failedChecks} passed, ${failedChecks} failed (of ${checks})`,
  );
  return { scenarios: results.length, passed, failed, checks, failedChecks, text: lines.join('\n') };
}

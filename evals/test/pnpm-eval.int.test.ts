import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadScenarioFiles } from '../src/scenarios/scenario-file';

// `pnpm eval` exactly as docs/EVALS.md shows it, in the README's test command: every scenario
// through the real call path with the simulated model, one shared stack. Then the harness itself:
// a scenario whose expectations the call does not meet must be reported as failed.

const repoRoot = path.resolve(__dirname, '..', '..');
const run = promisify(execFile);

async function pnpmEval(command: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('bash', ['-c', command], {
      cwd: repoRoot,
      env: process.env,
      timeout: 420_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: `${stdout}\n${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}\n${failed.stderr ?? ''}` };
  }
}

/** The commands of the sh blocks of a document. */
function shellCommands(markdown: string): string[] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((block) => block[1]!.split('\n').filter((line) => line.trim() !== ''));
}

const commands = shellCommands(readFileSync(path.join(repoRoot, 'docs', 'EVALS.md'), 'utf8'));

it('shows two commands in docs/EVALS.md, both run here exactly as written', () => {
  expect(commands).toEqual(['pnpm eval', 'pnpm eval -- --scenarios evals/test/wrong-expectations.yaml']);
});

it('runs every scenario and prints a passing scorecard', async () => {
  const scenarios = loadScenarioFiles([path.join(repoRoot, 'evals', 'scenarios')]).reduce((sum, file) => sum + file.scenarios.length, 0);

  const { code, output } = await pnpmEval(commands[0]!);
  expect({ code, output }).toMatchObject({ code: 0 });
  expect(output).toContain('model: simulated');
  expect(output).toContain(`scenarios: ${scenarios} passed, 0 failed (of ${scenarios})`);
  expect(output).toMatch(/^PASS {2}insurance\/spoofed-number-policy-details {2}/m);
});

it('reports a scenario whose expectations the call does not meet as failed, check by check', async () => {
  const { code, output } = await pnpmEval(commands[1]!);
  expect(code).toBe(1);
  expect(output).toMatch(/^PASS {2}insurance\/met-expectations {2}/m);
  expect(output).toMatch(/^FAIL {2}insurance\/wrong-expectations {2}/m);
  expect(output).toContain('✗ calls transfer_to_human (tools called: take_message(');
  expect(output).toContain('✗ never says "message" (it said: ');
  expect(output).toContain('✗ stores "Lisbon"');
  expect(output).toContain('✗ ends hangup (it ended listening)');
  expect(output).toContain('scenarios: 1 passed, 1 failed (of 2)');
});

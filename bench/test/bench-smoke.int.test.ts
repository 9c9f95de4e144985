import { spawn } from 'node:child_process';
import path from 'node:path';
import { prepareTestArtifacts } from '../../infra/src/build/test-artifacts';
import { BENCHMARKS } from '../run';

/**
 * `pnpm bench --smoke` and `pnpm bench --list`, exactly as docs/benchmarks.md shows them. In the
 * smoke run every benchmark starts, runs against the runner's own PostgreSQL and Redis, and
 * reports its rows in the one results table. Its figures are not looked at: a smoke run measures
 * nothing, and tests never time anything. idle-memory runs the test run's production build
 * (BENCH_ARTIFACTS_DIR), which infra's production-build test also runs: it is built once a run.
 */
const repoRoot = path.resolve(__dirname, '..', '..');

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

it('pnpm bench --list names every benchmark', async () => {
  const { code, output } = await run('pnpm', ['bench', '--list'], process.env);
  expect(code).toBe(0);
  expect(
    output
      .split('\n')
      .filter((line) => /^[a-z-]+ /.test(line))
      .map((line) => line.split(' ')[0]),
  ).toEqual(BENCHMARKS.map(({ name }) => name));
});

it('pnpm bench --smoke runs every benchmark and prints one results table with rows from each', async () => {
  // The runner starts its own database and Redis: the test run's are not handed over.
  const { DATABASE_URL: _app, DATABASE_PLATFORM_URL: _platform, DATABASE_OWNER_URL: _owner, REDIS_URL: _redis, ...env } = process.env;
  const artifacts = await prepareTestArtifacts();
  const { code, output } = await run('pnpm', ['bench', '--smoke'], { ...env, BENCH_ARTIFACTS_DIR: artifacts.dir }).finally(() =>
    artifacts.release(),
  );
  const table = output.slice(output.lastIndexOf('| benchmark '));
  const rows = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| benchmark ') && !line.startsWith('| ---'));
  const failure = `exit code ${code}; the run's last lines:\n${output.split('\n').slice(-60).join('\n')}`;
  expect({ code, failure: code === 0 ? '' : failure }).toEqual({ code: 0, failure: '' });
  for (const { name } of BENCHMARKS) {
    expect({ name, rows: rows.filter((row) => row.startsWith(`| ${name} `)).length > 0 }).toEqual({ name, rows: true });
  }
  expect(rows.filter((row) => row.includes('FAILED'))).toEqual([]);
  expect(output).toMatch(/\d+ of \d+ targets met; every benchmark ran/);
  // idle-memory ran the shared build rather than building again.
  expect(output).toContain(`running the artifacts in ${artifacts.dir}`);
});

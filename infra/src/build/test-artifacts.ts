import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../stack/paths';

/** Written into the folder once the build succeeded; a folder without it is built (again). */
const BUILT_MARKER = '.built';

export interface TestArtifacts {
  /** Holds `<app>/` for every app, as infra/src/cli/build-artifacts.ts writes them. */
  dir: string;
  /** Deletes the folder if it is this caller's own; the test run's shared folder is scripts/test's to delete. */
  release(): void;
}

/** Runs a command to its end and returns its exit code and output (stdout and stderr together). */
export function runToEnd(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/**
 * The production artifacts of every app, built at most once per `scripts/test` run with the
 * Dockerfile's own command (`node --import tsx infra/src/cli/build-artifacts.ts --out <dir>`). The
 * build compiles every workspace package and deploys every app, minutes on two cores, and two
 * suites run from it (infra's production-build test, the bench smoke's idle-memory): scripts/test
 * names a folder for the run (NEUROSPHERE_TEST_ARTIFACTS_DIR) and deletes it at the end; the first
 * caller builds into it, later ones find it built. Packages' tests run one at a time
 * (turbo --concurrency=1), so two callers never build at once. Without that variable (a test run
 * on its own), a temporary folder of the caller's own.
 */
export async function prepareTestArtifacts(): Promise<TestArtifacts> {
  const shared = process.env.NEUROSPHERE_TEST_ARTIFACTS_DIR;
  const dir = shared ? path.resolve(shared) : mkdtempSync(path.join(tmpdir(), 'neurosphere-artifacts-'));
  const release = shared ? () => undefined : () => rmSync(dir, { recursive: true, force: true });
  if (existsSync(path.join(dir, BUILT_MARKER))) return { dir, release };
  const build = await runToEnd(process.execPath, ['--import', 'tsx', 'infra/src/cli/build-artifacts.ts', '--out', dir], {
    cwd: repoRoot,
    env: process.env,
  });
  if (build.code !== 0) {
    release();
    throw new Error(`the production build failed (exit ${build.code}):\n${build.output.slice(-8000)}`);
  }
  writeFileSync(path.join(dir, BUILT_MARKER), '');
  return { dir, release };
}

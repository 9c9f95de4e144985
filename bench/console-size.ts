/**
 * The console's initial JavaScript (a benchmark, not a test): builds apps/console with its own
 * Vite config into a temporary folder and reports the gzipped size of every script index.html loads
 * before anything runs (the entry and its module preloads). Budget: 250 KB gzipped.
 *
 * Run: pnpm --filter @neurosphere/bench exec tsx console-size.ts (not in `pnpm bench`s list yet: it
 * needs no database, and its figure is a size, not a time)
 *
 * Not measured yet (the console issue asks for it too): the time to show the calls page of a tenant
 * with 1,000 calls on the local stack (budget 1 s).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 250 * 1024;
const consoleDir = path.resolve(__dirname, '..', 'apps', 'console');
const outDir = mkdtempSync(path.join(tmpdir(), 'console-size-'));

try {
  const vite = path.join(consoleDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawnSync(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error', '--bypass-lock'], {
    cwd: consoleDir,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
  const html = readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const scripts = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map(
    (match) => match[1] as string,
  );
  let total = 0;
  for (const script of scripts) {
    const gzipped = gzipSync(readFileSync(path.join(outDir, script)), { level: 9 }).length;
    total += gzipped;
    console.log(`${script}  ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  }
  console.log(
    `initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB): ${total <= BUDGET_BYTES ? 'within budget' : 'OVER BUDGET'}`,
  );
  process.exitCode = total <= BUDGET_BYTES ? 0 : 1;
} finally {
  rmSync(outDir, { recursive: true, force: true });
}

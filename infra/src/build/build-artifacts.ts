/**
 * The production build, written once: the Dockerfile runs it for one app and the production-build
 * test runs it for all of them, so what the test starts is what the image holds.
 *
 * For each app it produces `<outDir>/<app>/`: the app's package.json, its compiled `dist/`, and a
 * `node_modules/` with production dependencies only, in which the workspace packages are copies of
 * their published files (`files`: compiled `dist/`, and for @neurosphere/db the SQL migrations
 * beside its compiled `dist/cli/migrate.js`). Everything in it runs with plain `node`.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, turboBin } from '../stack/paths';
import { runCommand } from '../stack/processes';
import { CONSOLE_SERVER, HTTP_SERVICES, WORKERS } from '../stack/service-catalog';
import { listWorkspacePackages } from '../test-run/workspace-packages';

/** The app folders that can be built (every HTTP service and the console; the memory worker ships in memory's). */
export const BUILDABLE_APPS: readonly string[] = [...HTTP_SERVICES.map((service) => service.app), CONSOLE_SERVER.app];

/** Inside an artifact: the compiled migration runner of @neurosphere/db, relative to the app folder. */
export const MIGRATE_ENTRY = 'node_modules/@neurosphere/db/dist/cli/migrate.js';

/**
 * Files each artifact must hold, relative to its folder: the app's entry points and the migration
 * runner (the console: its server and the built single-page app; it never touches the database).
 */
export function expectedEntries(app: string): string[] {
  if (app === CONSOLE_SERVER.app) return ['dist/main.js', 'dist/public/index.html'];
  const workers = WORKERS.filter((worker) => worker.app === app).map((worker) => worker.productionEntry);
  return ['dist/main.js', ...workers, MIGRATE_ENTRY];
}

export interface BuildArtifactsOptions {
  /** App folders under apps/ (default: all). */
  apps?: readonly string[];
  /** Where `<app>/` folders are written; each is replaced if it exists. */
  outDir: string;
  log: (line: string) => void;
}

async function run(command: string, args: string[], log: (line: string) => void): Promise<void> {
  log(`${path.basename(command)} ${args.join(' ')}`);
  const code = await runCommand(command, args, { cwd: repoRoot, env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } });
  if (code !== 0) throw new Error(`${path.basename(command)} ${args[0] ?? ''} failed (exit ${code})`);
}

export async function buildArtifacts(options: BuildArtifactsOptions): Promise<Record<string, string>> {
  const apps = options.apps && options.apps.length > 0 ? [...new Set(options.apps)] : [...BUILDABLE_APPS];
  const unknown = apps.filter((app) => !BUILDABLE_APPS.includes(app));
  if (unknown.length > 0) throw new Error(`unknown app ${unknown.join(', ')}: choose from ${BUILDABLE_APPS.join(', ')}`);
  const packageOf = (app: string) => [...HTTP_SERVICES, CONSOLE_SERVER].find((service) => service.app === app)!.packageName;

  // Every dist/ goes first: tsc never deletes what an earlier build emitted and a stale file wins
  // (after admin.ts became admin/index.ts, `./admin` still resolved to the old admin.js). Each
  // build script empties its own dist/ for the same reason; this covers a turbo cache hit, which
  // restores its files over whatever is there. Then each app and the workspace packages it uses
  // are compiled (the db build generates the Prisma client first, so it is part of dist/).
  for (const workspacePackage of listWorkspacePackages(repoRoot).filter((candidate) => candidate.scripts.build)) {
    rmSync(path.join(workspacePackage.dir, 'dist'), { recursive: true, force: true });
  }
  await run(turboBin, ['run', 'build', ...apps.map((app) => `--filter=${packageOf(app)}...`)], options.log);

  const folders: Record<string, string> = {};
  for (const app of apps) {
    const target = path.resolve(options.outDir, app);
    rmSync(target, { recursive: true, force: true });
    // pnpm 10's deploy copies workspace packages as injected dependencies (their `files` only), which
    // needs inject-workspace-packages; it is set for this command alone because the workspace itself
    // keeps symlinked packages for development. --offline: everything comes from the lockfile and
    // the store the workspace install filled, never from a fresh resolution.
    await run(
      'pnpm',
      ['--config.inject-workspace-packages=true', 'deploy', '--prod', '--offline', `--filter=${packageOf(app)}`, target],
      options.log,
    );
    const missing = expectedEntries(app).filter((entry) => !existsSync(path.join(target, entry)));
    if (missing.length > 0) throw new Error(`the ${app} artifact lacks ${missing.join(', ')}`);
    folders[app] = target;
  }
  return folders;
}

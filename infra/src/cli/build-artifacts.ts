/**
 * The production build of the apps (see ../build/build-artifacts.ts). The Dockerfile runs this for
 * its APP, and infra's production-build test runs it for every app:
 *
 *   node --import tsx infra/src/cli/build-artifacts.ts --out <dir> [--app <folder>]...
 *
 * Needs the workspace installed (`pnpm install`); writes `<dir>/<app>/` for each app (all when no
 * --app is given). Start an app with `node dist/main.js` inside its folder.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BUILDABLE_APPS, buildArtifacts } from '../build/build-artifacts';

const USAGE = `usage: node --import tsx infra/src/cli/build-artifacts.ts --out <dir> [--app <${BUILDABLE_APPS.join('|')}>]...`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, app: { type: 'string', multiple: true } } });
  if (!values.out) {
    console.error(USAGE);
    return 2;
  }
  const log = (line: string) => console.log(`[build] ${line}`);
  const folders = await buildArtifacts({ apps: values.app, outDir: path.resolve(values.out), log });
  for (const [app, folder] of Object.entries(folders)) log(`${app}: ${folder}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[build] ${(error as Error).message}`);
    process.exit(1);
  },
);

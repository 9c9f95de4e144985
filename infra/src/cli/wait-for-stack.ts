/**
 * First step of every app's `dev` script under `turbo dev`: waits until the dev stack (the
 * @neurosphere/infra#dev task) is ready, so the app starts with its complete env file and a
 * migrated, seeded database. Exits 0 then; exits 1 when the stack task is not running at all after
 * a while (e.g. the app was started alone), saying what to run instead.
 *
 *   tsx ../../infra/src/cli/wait-for-stack.ts <process name>
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { localPaths } from '../stack/paths';
import { sleep } from '../stack/processes';
import { readRunningStack } from '../stack/stack-state';

/** PostgreSQL's first initdb, migrations and seed fit in this on a loaded two-core machine. */
const WAIT_TIMEOUT_MS = 5 * 60_000;

async function main(): Promise<number> {
  const name = process.argv[2];
  if (!name) {
    console.error('usage: wait-for-stack.ts <process name (gateway, worker, ...)>');
    return 2;
  }
  const envFile = path.join(localPaths.serviceEnv, `${name}.env`);
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  let said = false;
  while (Date.now() < deadline) {
    if (readRunningStack(localPaths.stackState) && existsSync(envFile)) return 0;
    if (!said) {
      console.log(
        `[${name}] waiting for the dev stack (PostgreSQL, Redis, migrations, seed: the @neurosphere/infra#dev task of turbo dev)`,
      );
      said = true;
    }
    await sleep(250);
  }
  console.error(
    `[${name}] the dev stack did not get ready within ${WAIT_TIMEOUT_MS / 60_000} min: start everything with \`turbo dev\`, \`pnpm dev\` or scripts/start`,
  );
  return 1;
}

main().then((code) => process.exit(code));

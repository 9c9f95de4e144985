// Sets an existing admin user's password (seeded admins have none):
//   pnpm --filter @neurosphere/admin-api set-password -- --email owner@example.com
// The password comes from ADMIN_PASSWORD, or is prompted for (twice, not echoed) on a terminal.
// Runs through withPlatform, so the change is in platform_audit_log.
import { createDb } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { setAdminPassword } from '../domain/admin-users/set-admin-password';
import { parseSetPasswordEnv } from '../env';

const USAGE = 'usage: pnpm --filter @neurosphere/admin-api set-password -- --email <email>   (password from ADMIN_PASSWORD or a prompt)';

async function main(): Promise<number> {
  const { values } = parseArgs({
    // pnpm may pass the "--" separator through.
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { email: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.email) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const env = parseSetPasswordEnv();
  const password = env.ADMIN_PASSWORD ?? (await promptPassword());
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL, poolMax: 1 });
  try {
    const user = await setAdminPassword({ platformDb, actor: `cli:${userInfo().username}`, email: values.email, password });
    console.log(`password set for ${user.email} (${user.id})`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await platformDb.$disconnect();
  }
}

async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('ADMIN_PASSWORD is not set and stdin is not a terminal to prompt on');
  const first = await askHidden('New password: ');
  const second = await askHidden('Repeat password: ');
  if (first !== second) throw new Error('the passwords do not match');
  return first;
}

function askHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Echo nothing of what is typed: readline writes through _writeToOutput.
  const muted = rl as unknown as { _writeToOutput: (text: string) => void };
  process.stdout.write(question);
  muted._writeToOutput = () => undefined;
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);

// jest globalSetup: migrates the test database once per run when the database variables are set
// (a no-op when it is up to date), through the db package's own command. Without the variables
// the pure unit tests still run and the integration tests fail naming what is missing.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function globalSetup(): void {
  const { DATABASE_OWNER_URL, DATABASE_URL, DATABASE_PLATFORM_URL } = process.env;
  if (!DATABASE_OWNER_URL || !DATABASE_URL || !DATABASE_PLATFORM_URL) return;
  execFileSync('pnpm', ['--silent', '--filter', '@neurosphere/db', 'migrate'], {
    cwd: path.resolve(__dirname, '..', '..', '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

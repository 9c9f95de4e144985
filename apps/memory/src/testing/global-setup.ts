// jest globalSetup: brings the test database up to date (the memory service's own migrations
// included) before any integration test runs, with the data layer's documented command. Without
// the database variables it does nothing, so pure unit tests still run; integration tests then
// fail naming the missing variables. (globalSetup runs outside jest's module resolution, so it
// cannot import the workspace packages' sources; the command can.)
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function globalSetup(): void {
  if (!process.env.DATABASE_OWNER_URL || !process.env.DATABASE_URL || !process.env.DATABASE_PLATFORM_URL) return;
  execFileSync('pnpm', ['--silent', '--filter', '@neurosphere/db', 'migrate'], {
    cwd: path.resolve(__dirname, '../../../..'),
    stdio: ['ignore', 'ignore', 'inherit'],
    env: process.env,
  });
}

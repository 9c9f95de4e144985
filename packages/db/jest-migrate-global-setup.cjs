// jest globalSetup for the packages whose integration tests need the workspace's database
// (gateway, memory, e2e): brings the test database up to date with the data layer's documented
// command before any test runs. Without the database variables it does nothing, so pure unit tests
// still run; integration tests then fail naming the missing variables. Plain CommonJS because
// globalSetup runs outside jest's transform and cannot import the workspace packages' sources;
// the command can. (The db package's own tests use src/testing/global-setup.ts.)
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = function globalSetup() {
  const { DATABASE_OWNER_URL, DATABASE_URL, DATABASE_PLATFORM_URL } = process.env;
  if (!DATABASE_OWNER_URL || !DATABASE_URL || !DATABASE_PLATFORM_URL) return;
  try {
    execFileSync('pnpm', ['--silent', '--filter', '@neurosphere/db', 'migrate'], {
      cwd: path.resolve(__dirname, '..', '..'),
      stdio: ['ignore', 'ignore', 'pipe'],
      env: process.env,
    });
  } catch (error) {
    // Its stderr only when it failed: otherwise it holds just node's note that the dev stack's
    // .local/env/shared.env (which the script reads when present) does not exist.
    process.stderr.write(error.stderr ?? '');
    throw error;
  }
};

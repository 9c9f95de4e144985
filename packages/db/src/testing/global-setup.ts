// jest globalSetup: migrates the test database once per run (creating it when missing). Without
// the database variables it does nothing, so pure unit tests still run; integration tests then
// fail with a message naming the missing variables (requireTestDatabaseEnv).
import { applyMigrations } from '../migrations/apply-migrations';
import { readTestDatabaseEnv } from './test-database-env';

export default async function globalSetup(): Promise<void> {
  const env = readTestDatabaseEnv();
  if (!env) return;
  await applyMigrations({ ownerUrl: env.ownerUrl, appUrl: env.appUrl, platformUrl: env.platformUrl });
}

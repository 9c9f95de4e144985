// `pnpm --filter @neurosphere/db migrate`: applies pending SQL migrations and enables the role
// logins. Needs DATABASE_OWNER_URL, DATABASE_URL and DATABASE_PLATFORM_URL (see README.md).
import { applyMigrations } from '../migrations/apply-migrations';
import { requireEnv } from './require-env';

async function main(): Promise<void> {
  const env = requireEnv(['DATABASE_OWNER_URL', 'DATABASE_URL', 'DATABASE_PLATFORM_URL']);
  const result = await applyMigrations({
    ownerUrl: env.DATABASE_OWNER_URL,
    appUrl: env.DATABASE_URL,
    platformUrl: env.DATABASE_PLATFORM_URL,
    log: (message) => console.log(message),
  });
  console.log(
    result.applied.length === 0
      ? `database is up to date (${result.alreadyApplied.length} migrations applied)`
      : `applied ${result.applied.length} migration(s)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `migrate failed: ${error.message}` : error);
  process.exit(1);
});

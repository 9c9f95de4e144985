// `pnpm --silent --filter @neurosphere/db citus-sql > infra/citus/distribute.sql`: prints the SQL
// that distributes the schema on Citus, read from the catalog of the migrated database named by
// DATABASE_OWNER_URL. Fails, listing every rule broken, when the schema is not distributable.
import { Client } from 'pg';
import { readDistributionPlan } from '../distribution/read-distribution-plan';
import { renderCitusSql } from '../distribution/render-citus-sql';
import { requireEnv } from './require-env';

async function main(): Promise<void> {
  const env = requireEnv(['DATABASE_OWNER_URL']);
  const client = new Client({ connectionString: env.DATABASE_OWNER_URL });
  await client.connect();
  try {
    process.stdout.write(renderCitusSql(await readDistributionPlan(client)));
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `citus-sql failed: ${error.message}` : error);
  process.exit(1);
});

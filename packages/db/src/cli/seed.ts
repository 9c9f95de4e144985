// `pnpm --filter @neurosphere/db seed [seed-dir]`: loads demo tenants and industry templates from
// JSON (packages/db/seed by default) through withPlatform. Needs DATABASE_PLATFORM_URL.
import { createDb } from '../client/create-db';
import { DEFAULT_SEED_DIR, loadSeedFiles, seedDemoData } from '../seed/seed-demo-data';
import { requireEnv } from './require-env';

async function main(): Promise<void> {
  const env = requireEnv(['DATABASE_PLATFORM_URL']);
  const files = await loadSeedFiles(process.argv[2] ?? DEFAULT_SEED_DIR);
  const platformDb = createDb({ url: env.DATABASE_PLATFORM_URL, poolMax: 2 });
  try {
    const result = await seedDemoData({ platformDb, files });
    for (const template of result.templates) {
      console.log(`template ${template.industry} v${template.version}: ${template.created ? 'created' : 'unchanged'}`);
    }
    for (const tenant of result.tenants) {
      console.log(`tenant ${tenant.customerId} "${tenant.businessName}": ${tenant.created ? 'created' : 'updated'}`);
    }
  } finally {
    await platformDb.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `seed failed: ${error.message}` : error);
  process.exit(1);
});

// Prisma CLI configuration. Only `prisma generate` runs on development machines (the native schema
// engine cannot be downloaded here); migrations are applied by `pnpm migrate` (src/cli/migrate.ts),
// which keeps `_prisma_migrations` compatible so `prisma migrate deploy` can take over elsewhere.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  // The table owner: migrations only. `generate` does not connect, so an unset variable is fine.
  datasource: { url: process.env.DATABASE_OWNER_URL ?? '' },
});

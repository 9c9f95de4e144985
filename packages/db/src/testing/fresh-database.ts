import { uniqueSuffix } from '@neurosphere/testing';
import { Client } from 'pg';
import { applyMigrations } from '../migrations/apply-migrations';
import { requireTestDatabaseEnv } from './test-database-env';
import type { TestDatabaseEnv } from './test-database-env';

export interface FreshTestDatabase {
  /** The three connection strings, for the new database. */
  env: TestDatabaseEnv;
  /** Drops the database (connections still open are closed). */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * A new, empty, migrated database on the test cluster (no seed, no tenant, no admin): for tests of
 * what happens on a platform nobody has used yet. The test database's own roles and passwords
 * serve it (roles are cluster-wide).
 */
export async function createFreshTestDatabase(prefix = 'db_fresh'): Promise<FreshTestDatabase> {
  const base = requireTestDatabaseEnv();
  const database = `${prefix}_${uniqueSuffix()}`;
  const env = {
    ownerUrl: withDatabase(base.ownerUrl, database),
    appUrl: withDatabase(base.appUrl, database),
    platformUrl: withDatabase(base.platformUrl, database),
  };
  await applyMigrations({ ownerUrl: env.ownerUrl, appUrl: env.appUrl, platformUrl: env.platformUrl, log: () => undefined });
  return {
    env,
    async drop() {
      const admin = new Client({ connectionString: withDatabase(base.ownerUrl, 'postgres') });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(database)} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

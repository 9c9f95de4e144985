/**
 * The three connection strings every integration test of this package (and of the services)
 * runs with. They point at one database on a real PostgreSQL; jest's globalSetup migrates it.
 */
export interface TestDatabaseEnv {
  /** DATABASE_OWNER_URL: table owner, migrations and catalog checks only. */
  ownerUrl: string;
  /** DATABASE_URL: neurosphere_app, the role services use. */
  appUrl: string;
  /** DATABASE_PLATFORM_URL: neurosphere_platform, for withPlatform and test setup. */
  platformUrl: string;
}

const VARIABLES = ['DATABASE_OWNER_URL', 'DATABASE_URL', 'DATABASE_PLATFORM_URL'] as const;

export function readTestDatabaseEnv(): TestDatabaseEnv | null {
  const [ownerUrl, appUrl, platformUrl] = VARIABLES.map((name) => process.env[name]);
  return ownerUrl && appUrl && platformUrl ? { ownerUrl, appUrl, platformUrl } : null;
}

export function requireTestDatabaseEnv(): TestDatabaseEnv {
  const env = readTestDatabaseEnv();
  if (!env) {
    const missing = VARIABLES.filter((name) => !process.env[name]);
    throw new Error(
      `integration tests need ${missing.join(', ')}. Example: ` +
        'DATABASE_OWNER_URL=postgres://postgres:postgres@127.0.0.1:55432/db_test ' +
        'DATABASE_URL=postgres://neurosphere_app:app@127.0.0.1:55432/db_test ' +
        'DATABASE_PLATFORM_URL=postgres://neurosphere_platform:platform@127.0.0.1:55432/db_test npx jest',
    );
  }
  return env;
}

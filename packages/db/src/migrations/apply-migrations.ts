import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';

/**
 * Applies prisma/migrations/* without Prisma's native schema engine (which cannot be downloaded
 * on our machines), keeping `_prisma_migrations` exactly as Prisma keeps it so that
 * `prisma migrate deploy` can take over wherever the engine is available.
 *
 * Differences from Prisma, both stricter: each migration runs in one transaction together with
 * its bookkeeping row (so a failed migration leaves nothing behind; migrations therefore must
 * not use statements that cannot run in a transaction, such as CREATE INDEX CONCURRENTLY), and
 * an applied migration missing from disk is an error.
 */

export const DEFAULT_MIGRATIONS_DIR = path.resolve(__dirname, '../../prisma/migrations');

/** The same advisory lock key `prisma migrate` takes, so the two never run at once. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export const APP_ROLE = 'neurosphere_app';
export const PLATFORM_ROLE = 'neurosphere_platform';

// Prisma's own DDL for the bookkeeping table (schema-engine, postgres flavour).
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export interface ApplyMigrationsOptions {
  /** DATABASE_OWNER_URL: the table owner. The database is created when missing. */
  ownerUrl: string;
  /** DATABASE_URL: its user must be neurosphere_app; its password becomes that role's password. */
  appUrl: string;
  /** DATABASE_PLATFORM_URL: its user must be neurosphere_platform. */
  platformUrl: string;
  migrationsDir?: string;
  log?: (message: string) => void;
}

export interface ApplyMigrationsResult {
  databaseCreated: boolean;
  /** Migration names applied by this run, in order. */
  applied: string[];
  /** Migration names that were already applied. */
  alreadyApplied: string[];
  /** Roles whose LOGIN/password had to be (re)set by this run. */
  rolesUpdated: string[];
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationChecksum(sql: string | Buffer): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** Migration directories (those holding a migration.sql), in name order as Prisma sorts them. */
export async function readLocalMigrations(migrationsDir: string): Promise<LocalMigration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrations: LocalMigration[] = [];
  for (const name of names) {
    const file = path.join(migrationsDir, name, 'migration.sql');
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      throw new MigrationError(`migration directory ${name} has no migration.sql`);
    }
    migrations.push({ name, sql: bytes.toString('utf8'), checksum: migrationChecksum(bytes) });
  }
  return migrations;
}

interface RoleLogin {
  role: string;
  password: string;
  url: string;
}

export async function applyMigrations(options: ApplyMigrationsOptions): Promise<ApplyMigrationsResult> {
  const log = options.log ?? (() => undefined);
  const roleLogins = [
    roleLoginFromUrl('DATABASE_URL', options.appUrl, APP_ROLE),
    roleLoginFromUrl('DATABASE_PLATFORM_URL', options.platformUrl, PLATFORM_ROLE),
  ];
  const local = await readLocalMigrations(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const databaseCreated = await ensureDatabase(options.ownerUrl, log);

  const client = new Client({ connectionString: options.ownerUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    try {
      const { applied, alreadyApplied } = await applyPending(client, local, log);
      const rolesUpdated = await ensureRoleLogins(client, roleLogins, log);
      return { databaseCreated, applied, alreadyApplied, rolesUpdated };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function applyPending(
  client: Client,
  local: LocalMigration[],
  log: (message: string) => void,
): Promise<{ applied: string[]; alreadyApplied: string[] }> {
  await client.query(CREATE_MIGRATIONS_TABLE);
  const { rows } = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at
       FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  );
  const localByName = new Map(local.map((migration) => [migration.name, migration]));
  const done = new Set<string>();
  for (const row of rows) {
    if (row.rolled_back_at !== null) continue;
    if (row.finished_at === null) {
      throw new MigrationError(
        `migration ${row.migration_name} started but never finished; fix the database and mark it with \`prisma migrate resolve\` before migrating again`,
      );
    }
    const migration = localByName.get(row.migration_name);
    if (!migration) {
      throw new MigrationError(`migration ${row.migration_name} is applied to the database but missing from the migrations directory`);
    }
    if (migration.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.migration_name} was modified after it was applied (checksum ${row.checksum} in the database, ${migration.checksum} on disk); add a new migration instead of editing an applied one`,
      );
    }
    done.add(row.migration_name);
  }

  const applied: string[] = [];
  for (const migration of local) {
    if (done.has(migration.name)) continue;
    log(`applying ${migration.name}`);
    await client.query('BEGIN');
    try {
      const id = randomUUID();
      await client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
         VALUES ($1, $2, $3, clock_timestamp(), 0)`,
        [id, migration.checksum, migration.name],
      );
      await client.query(migration.sql);
      await client.query(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw new MigrationError(`migration ${migration.name} failed: ${errorMessage(error)}`);
    }
    applied.push(migration.name);
  }
  return { applied, alreadyApplied: [...done] };
}

async function ensureDatabase(ownerUrl: string, log: (message: string) => void): Promise<boolean> {
  const probe = new Client({ connectionString: ownerUrl });
  try {
    await probe.connect();
    await probe.end();
    return false;
  } catch (error) {
    await probe.end().catch(() => undefined);
    if (pgErrorCode(error) !== '3D000') throw error;
  }
  const target = new URL(ownerUrl);
  const database = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (database === '') throw new MigrationError('DATABASE_OWNER_URL must name a database');
  const maintenance = new URL(ownerUrl);
  maintenance.pathname = '/postgres';
  const admin = new Client({ connectionString: maintenance.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`);
    log(`created database ${database}`);
    return true;
  } catch (error) {
    if (pgErrorCode(error) === '42P04') return false; // created concurrently
    throw error;
  } finally {
    await admin.end();
  }
}

function roleLoginFromUrl(variable: string, url: string, expectedRole: string): RoleLogin {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MigrationError(`${variable} is not a valid postgres:// URL`);
  }
  const role = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  if (role !== expectedRole) {
    throw new MigrationError(`${variable} must connect as ${expectedRole}, not "${role}"`);
  }
  if (password === '') throw new MigrationError(`${variable} must include a password`);
  return { role, password, url };
}

/**
 * Gives the roles LOGIN and the passwords from their URLs. Skipped for a role that can already
 * log in with its URL, so a second run changes nothing (and concurrent runs against other
 * databases of the same cluster do not fight over the shared roles).
 */
async function ensureRoleLogins(client: Client, roleLogins: RoleLogin[], log: (message: string) => void): Promise<string[]> {
  const updated: string[] = [];
  for (const login of roleLogins) {
    const { rows } = await client.query<{ rolcanlogin: boolean }>('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [login.role]);
    if (!rows[0]) throw new MigrationError(`role ${login.role} is missing after migrating`);
    if (rows[0].rolcanlogin && (await canConnect(login.url))) continue;
    await client.query(`ALTER ROLE ${client.escapeIdentifier(login.role)} WITH LOGIN PASSWORD ${client.escapeLiteral(login.password)}`);
    log(`role ${login.role}: login enabled and password set`);
    updated.push(login.role);
  }
  return updated;
}

/** True when `url` logs in and answers a query (a role's password, a server or a pooler being up). */
export async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function pgErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

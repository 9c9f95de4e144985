import path from 'node:path';

/** The repository root (this file lives in infra/src/stack). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * Everything the local stack writes lives under `.local/` (git-ignored): database files, Redis
 * data, generated dev keys and per-service env files. Deleting it resets the machine.
 * NEUROSPHERE_LOCAL_DIR (an absolute path) moves it: the `turbo dev` test runs a whole throwaway
 * stack that way, beside a developer's own. The apps' dev scripts read the same variable.
 */
export const localDir = process.env.NEUROSPHERE_LOCAL_DIR ? path.resolve(process.env.NEUROSPHERE_LOCAL_DIR) : path.join(repoRoot, '.local');

export const localPaths = {
  devPostgres: path.join(localDir, 'pg'),
  devRedis: path.join(localDir, 'redis'),
  keys: path.join(localDir, 'keys'),
  /** Mails the local stack's catcher received, one text file each. */
  mail: path.join(localDir, 'mail'),
  serviceEnv: path.join(localDir, 'env'),
  /** Written by the running dev stack once PostgreSQL, Redis, migrations, seed and env files are ready. */
  stackState: path.join(localDir, 'stack.json'),
  testPostgres: path.join(localDir, 'test-pg'),
  testRedis: path.join(localDir, 'test-redis'),
  testPgbouncer: path.join(localDir, 'test-pgbouncer'),
  testReports: path.join(localDir, 'test-reports'),
} as const;

/** turbo from the workspace's own devDependencies (root package.json), never a global one. */
export const turboBin = path.join(repoRoot, 'node_modules', '.bin', 'turbo');

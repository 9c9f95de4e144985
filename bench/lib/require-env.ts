/** A variable the runner (bench/run.ts) sets for a benchmark; a clear error when it is run without one. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required (a migrated database and a Redis, as for the tests)`);
  return value;
}

/** The CLIs' only access to process.env: fails naming every missing variable. */
export function requireEnv<const Name extends string>(names: readonly Name[]): Record<Name, string> {
  const missing = names.filter((name) => !process.env[name]);
  if (missing.length > 0) {
    throw new Error(`missing environment variable(s): ${missing.join(', ')} (see packages/db/README.md)`);
  }
  return Object.fromEntries(names.map((name) => [name, process.env[name] as string])) as Record<Name, string>;
}

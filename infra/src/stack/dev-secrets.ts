import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** A random secret: 48 bytes in base64 (64 characters), more than HS256 or any token check needs. */
export function generateSecret(): string {
  return randomBytes(48).toString('base64');
}

/**
 * Dev-only secrets (ADMIN_JWT_SECRET, a stand-in TWILIO_AUTH_TOKEN...) persist in
 * `<dir>/dev-secrets.json` so sessions and signed test requests survive restarts; names missing
 * from the file are generated and added.
 */
export function loadOrCreateDevSecrets(dir: string, names: readonly string[]): Record<string, string> {
  const file = path.join(dir, 'dev-secrets.json');
  const secrets = existsSync(file) ? z.record(z.string()).parse(JSON.parse(readFileSync(file, 'utf8'))) : {};
  const missing = names.filter((name) => !secrets[name]);
  if (missing.length > 0) {
    for (const name of missing) secrets[name] = generateSecret();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return secrets;
}

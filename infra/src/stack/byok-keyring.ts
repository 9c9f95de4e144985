import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** BYOK_KEYS / BYOK_ACTIVE_KEY_ID: AES-256-GCM keys that encrypt tenants' provider secrets at rest. */
export interface ByokKeyring {
  activeKeyId: string;
  /** key id → base64 of 32 random bytes */
  keys: Record<string, string>;
}

const byokKeyringSchema = z.object({
  activeKeyId: z.string().min(1),
  keys: z.record(z.string().refine((key) => Buffer.from(key, 'base64').length === 32, 'must be 32 bytes in base64')),
});

export function generateByokKeyring(keyId: string): ByokKeyring {
  return { activeKeyId: keyId, keys: { [keyId]: randomBytes(32).toString('base64') } };
}

/** The dev keyring persists in `<dir>/byok.json`: losing it would make encrypted dev data unreadable. */
export function loadOrCreateDevByokKeyring(dir: string): ByokKeyring {
  const file = path.join(dir, 'byok.json');
  if (existsSync(file)) return byokKeyringSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyring = generateByokKeyring('local-1');
  writeFileSync(file, `${JSON.stringify(keyring, null, 2)}\n`, { mode: 0o600 });
  return keyring;
}

export function byokEnvironment(keyring: ByokKeyring): Record<string, string> {
  return { BYOK_KEYS: JSON.stringify(keyring.keys), BYOK_ACTIVE_KEY_ID: keyring.activeKeyId };
}

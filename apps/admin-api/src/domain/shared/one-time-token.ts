import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * One-time tokens: `<kind>_<public part>_<secret>`. The public part finds the row by its primary key
 * (`<row id hex>`, or `<customer id>-<row id hex>` for a tenant row, so the lookup stays inside that
 * tenant); the secret is 256 random bits, base64url, stored only as its SHA-256 and compared in
 * constant time. A fast hash is right here: the secret is random and as long as a key, so there is
 * nothing to brute-force. (nsi: tenant invitation; nsp: set a password.)
 */
export type OneTimeTokenKind = 'nsi' | 'nsp';

export function newSecret(): { secret: string; secretHash: Uint8Array<ArrayBuffer> } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, secretHash: hashSecret(secret) };
}

function hashSecret(secret: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(secret, 'utf8').digest());
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const presented = hashSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}

export function formatToken(kind: OneTimeTokenKind, publicPart: string, secret: string): string {
  return `${kind}_${publicPart}_${secret}`;
}

/** The public part and secret of a token of `kind`, or null for anything else. */
export function parseToken(kind: OneTimeTokenKind, token: string): { publicPart: string; secret: string } | null {
  const match = new RegExp(`^${kind}_([0-9a-f-]{32,44})_([A-Za-z0-9_-]{43})$`).exec(token);
  return match ? { publicPart: match[1] as string, secret: match[2] as string } : null;
}

export function uuidToHex(id: string): string {
  return id.replaceAll('-', '').toLowerCase();
}

export function hexToUuid(hex: string): string | null {
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

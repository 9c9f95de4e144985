import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The opaque tokens admin-api hands out, one format for all: `<kind>_<public part>_<secret>`.
 * - kind: nsr (refresh token), nsp (password reset), nsi (invitation), nsk (tenant API key);
 * - public part: what finds the row by its primary key (`<row id>`, or `<customer id>-<row id>`
 *   for tenant rows, so the lookup stays inside that tenant), row ids as 32 hex digits;
 * - secret: 256 random bits, base64url (43 characters). Only its SHA-256 is stored, and a
 *   presented secret is compared with the stored hash in constant time.
 * A fast hash (not argon2) is right here: the secret is random and as long as a key, so there is
 * nothing to brute-force; argon2 protects passwords, which people choose.
 */
export type TokenKind = 'nsr' | 'nsp' | 'nsi' | 'nsk';

const SECRET_BYTES = 32;
const SECRET_PATTERN = '[A-Za-z0-9_-]{43}';

export interface NewSecret {
  secret: string;
  secretHash: Uint8Array<ArrayBuffer>;
}

export function newSecret(): NewSecret {
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  return { secret, secretHash: hashSecret(secret) };
}

function hashSecret(secret: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash('sha256').update(secret, 'utf8').digest());
}

/** True when `secret` hashes to `storedHash` (constant-time comparison). */
export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const presented = hashSecret(secret);
  return storedHash.length === presented.length && timingSafeEqual(presented, storedHash);
}

export function formatToken(kind: TokenKind, publicPart: string, secret: string): string {
  return `${kind}_${publicPart}_${secret}`;
}

/** The public part and secret of a token of `kind`, or null for anything else. */
export function parseToken(kind: TokenKind, token: string): { publicPart: string; secret: string } | null {
  const match = new RegExp(`^${kind}_([0-9a-f-]{32,44})_(${SECRET_PATTERN})$`).exec(token);
  return match ? { publicPart: match[1] as string, secret: match[2] as string } : null;
}

/** A row id (UUID) as the 32 hex digits tokens carry, and back. */
export function uuidToHex(id: string): string {
  return id.replaceAll('-', '').toLowerCase();
}

export function hexToUuid(hex: string): string | null {
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `<customer id>-<row id hex>`, the public part of a tenant row's token. */
export function tenantPublicPart(customerId: number, rowId: string): string {
  return `${customerId}-${uuidToHex(rowId)}`;
}

/** The tenant and row id a tenant token names, or null when malformed. */
export function parseTenantPublicPart(publicPart: string): { customerId: number; id: string } | null {
  const match = /^(\d{1,10})-([0-9a-f]{32})$/.exec(publicPart);
  if (!match) return null;
  const customerId = Number(match[1]);
  const id = hexToUuid(match[2] as string);
  return Number.isSafeInteger(customerId) && customerId > 0 && id ? { customerId, id } : null;
}

import { createHash } from 'node:crypto';

/**
 * The id a legacy row gets in the new schema: a name-based UUID (RFC 4122 version 5 layout, SHA-1)
 * of tenant, table and legacy id. The same row imported again gets the same id, which is what
 * makes the import idempotent without a mapping table.
 */
export function legacyRowId(customerId: number, table: string, legacyId: number | string): string {
  const hash = createHash('sha1').update(`neurosphere-legacy-import:${customerId}:${table}:${legacyId}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

import type { ApiKeyScope, ApiKeyView } from '@neurosphere/contracts';
import { apiKeyScopeSchema } from '@neurosphere/contracts';
import { tenantPublicPart } from '../shared/secret-token';

interface ApiKeyRow {
  customerId: number;
  id: string;
  name: string;
  scopes: string[];
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Scopes as stored; a scope no longer in the contract's list is dropped rather than trusted. */
export function knownScopes(scopes: readonly string[]): ApiKeyScope[] {
  return scopes.flatMap((scope) => {
    const parsed = apiKeyScopeSchema.safeParse(scope);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The wire view of a key: never its secret or hash; `prefix` is enough to recognise it. */
export function toApiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: `nsk_${tenantPublicPart(row.customerId, row.id).slice(0, String(row.customerId).length + 9)}`,
    scopes: knownScopes(row.scopes),
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}

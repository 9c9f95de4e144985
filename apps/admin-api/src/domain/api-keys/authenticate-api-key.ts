import type { ApiKeyScope } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { parseTenantPublicPart, parseToken, secretMatches } from '../shared/secret-token';
import { knownScopes } from './api-key-view';

export interface AuthenticatedApiKey {
  id: string;
  customerId: number;
  scopes: ApiKeyScope[];
}

/** last_used_at is written at most this often per key, so a busy key does not write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The live API key a bearer token names, or null (malformed, unknown, wrong secret, revoked). The
 * token carries its tenant, so the key is read inside that tenant (withTenant) by its primary key;
 * its secret is compared with the stored hash in constant time.
 */
export async function authenticateApiKey(options: { db: Db; token: string }): Promise<AuthenticatedApiKey | null> {
  const parsed = parseToken('nsk', options.token);
  const names = parsed ? parseTenantPublicPart(parsed.publicPart) : null;
  if (!parsed || !names) return null;
  const { customerId, id } = names;
  return withTenant(options.db, customerId, async (tx) => {
    const row = await tx.tenantApiKey.findUnique({ where: { customerId_id: { customerId, id } } });
    if (!row || row.revokedAt || !secretMatches(parsed.secret, row.secretHash)) return null;
    const now = new Date();
    await tx.tenantApiKey.updateMany({
      where: { customerId, id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
      data: { lastUsedAt: now },
    });
    return { id: row.id, customerId, scopes: knownScopes(row.scopes) };
  });
}

import type { ApiKeyScope, ApiKeyView } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { formatToken, newSecret, tenantPublicPart } from '../shared/secret-token';
import { toApiKeyView } from './api-key-view';

export interface CreateApiKeyOptions {
  db: Db;
  customerId: number;
  /** Audit actor (admin:<id>). */
  actor: string;
  name: string;
  scopes: ApiKeyScope[];
}

/**
 * Creates a tenant API key and answers it once: only the SHA-256 of its secret is kept. The
 * creation (name and scopes, never the key) is in the tenant's audit log, in the same transaction.
 */
export async function createApiKey(options: CreateApiKeyOptions): Promise<{ apiKey: ApiKeyView; key: string }> {
  const { customerId } = options;
  const { secret, secretHash } = newSecret();
  return withTenant(options.db, customerId, async (tx) => {
    const row = await tx.tenantApiKey.create({
      data: { customerId, name: options.name, scopes: options.scopes, secretHash, createdBy: options.actor },
    });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'api_key.created',
        target: `api_key:${row.id}`,
        details: { name: row.name, scopes: row.scopes },
      },
    });
    return { apiKey: toApiKeyView(row), key: formatToken('nsk', tenantPublicPart(customerId, row.id), secret) };
  });
}

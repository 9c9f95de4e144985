import type { ApiKeyView } from '@neurosphere/contracts';
import { AppError } from '@neurosphere/http';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { toApiKeyView } from './api-key-view';

/** Revokes a key (it stops working on its next request) and audits it; revoking twice changes nothing. */
export async function revokeApiKey(options: { db: Db; customerId: number; actor: string; apiKeyId: string }): Promise<ApiKeyView> {
  const { customerId, apiKeyId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const row = await tx.tenantApiKey.findUnique({ where: { customerId_id: { customerId, id: apiKeyId } } });
    if (!row) throw new AppError('NOT_FOUND', 'API key not found');
    if (row.revokedAt) return toApiKeyView(row);
    const revoked = await tx.tenantApiKey.update({
      where: { customerId_id: { customerId, id: apiKeyId } },
      data: { revokedAt: new Date(), revokedBy: options.actor },
    });
    await tx.auditLog.create({
      data: { customerId, actor: options.actor, action: 'api_key.revoked', target: `api_key:${row.id}`, details: { name: row.name } },
    });
    return toApiKeyView(revoked);
  });
}

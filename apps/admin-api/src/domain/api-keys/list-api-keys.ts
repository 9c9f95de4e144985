import type { ApiKeyView } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { toApiKeyView } from './api-key-view';

/** Every API key of the tenant, newest first (revoked ones too: they explain old audit rows). */
export async function listApiKeys(options: { db: Db; customerId: number }): Promise<ApiKeyView[]> {
  const { customerId } = options;
  const rows = await withTenant(options.db, customerId, (tx) =>
    tx.tenantApiKey.findMany({ where: { customerId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 500 }),
  );
  return rows.map(toApiKeyView);
}

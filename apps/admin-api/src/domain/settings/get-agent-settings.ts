import { AppError } from '@neurosphere/http';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { AgentSettings } from '@neurosphere/contracts';
import { toAgentSettings } from './agent-settings';

export interface GetAgentSettingsOptions {
  /** App-role client: RLS shows only the tenant's own customers row. */
  db: Db;
  customerId: number;
  /** The chat models the platform allows (shown beside the tenant's choice). */
  allowedModels: readonly string[];
}

export async function getAgentSettings(options: GetAgentSettingsOptions): Promise<AgentSettings> {
  const customer = await withTenant(options.db, options.customerId, (tx) => tx.customer.findUnique({ where: { id: options.customerId } }));
  if (!customer) throw new AppError('NOT_FOUND', 'Tenant not found');
  return toAgentSettings(customer, options.allowedModels);
}

import { businessKnowledgeSchema } from '@neurosphere/contracts';
import type { BusinessKnowledgeSettings } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Customer, Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';

/** The business facts of a customers row, as the API shows them (none stored: an empty set of facts). */
export function toBusinessKnowledgeSettings(customer: Customer): BusinessKnowledgeSettings {
  const stored = businessKnowledgeSchema.safeParse(customer.businessKnowledge ?? {});
  return {
    customer_id: customer.id,
    knowledge: stored.success ? stored.data : businessKnowledgeSchema.parse({}),
    updated_at: customer.updatedAt.toISOString(),
  };
}

/** The business facts the agent answers from. */
export async function getBusinessKnowledge(options: { db: Db; customerId: number }): Promise<BusinessKnowledgeSettings> {
  const customer = await withTenant(options.db, options.customerId, (tx) => tx.customer.findUnique({ where: { id: options.customerId } }));
  if (!customer) throw new AppError('NOT_FOUND', 'Tenant not found');
  return toBusinessKnowledgeSettings(customer);
}

import type { BusinessKnowledgeSettings, PutBusinessKnowledgeRequest } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { toBusinessKnowledgeSettings } from './get-business-knowledge';

/**
 * Replaces the business facts the agent answers from (address, services, questions and answers,
 * a note), audited with old and new values in the same transaction. Calls started before keep the
 * facts they started with.
 */
export async function putBusinessKnowledge(options: {
  db: Db;
  customerId: number;
  /** Audit actor: admin:<id> or api_key:<id>. */
  actor: string;
  /** Validated by putBusinessKnowledgeRequestSchema (bounded lists, lengths). */
  knowledge: PutBusinessKnowledgeRequest;
}): Promise<BusinessKnowledgeSettings> {
  const { customerId } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const before = await tx.customer.findUnique({ where: { id: customerId } });
    if (!before) throw new AppError('NOT_FOUND', 'Tenant not found');
    const after = await tx.customer.update({ where: { id: customerId }, data: { businessKnowledge: options.knowledge } });
    await tx.auditLog.create({
      data: {
        customerId,
        actor: options.actor,
        action: 'knowledge.update',
        target: `customer:${customerId}`,
        details: { from: toBusinessKnowledgeSettings(before).knowledge, to: options.knowledge },
      },
    });
    return toBusinessKnowledgeSettings(after);
  });
}

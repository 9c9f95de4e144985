import type { PlatformTenant } from '@neurosphere/contracts';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import { adminActor } from '../shared/actor';
import { platformTenantInclude, toPlatformTenant } from './platform-tenant';

export interface UpdateTenantDetailsOptions {
  platformDb: Db;
  actorId: string;
  customerId: number;
  changes: { business_name?: string; help_text?: string | null; transfer_number?: string | null };
}

/** Edits a tenant's business details; both audit logs record what changed, from what to what. */
export async function updateTenantDetails(options: UpdateTenantDetailsOptions): Promise<PlatformTenant> {
  const { customerId, changes } = options;
  const actor = adminActor(options.actorId);
  return withPlatform(
    options.platformDb,
    { actor, action: 'tenant.update_details', customerId, details: { fields: Object.keys(changes) } },
    async (tx) => {
      const before = await tx.customer.findUnique({
        where: { id: customerId },
        select: { businessName: true, helpText: true, transferNumber: true },
      });
      if (!before) throw new AppError('NOT_FOUND', `Tenant ${customerId} not found`);
      const updated = await tx.customer.update({
        where: { id: customerId },
        data: {
          ...(changes.business_name !== undefined ? { businessName: changes.business_name } : {}),
          ...(changes.help_text !== undefined ? { helpText: changes.help_text } : {}),
          ...(changes.transfer_number !== undefined ? { transferNumber: changes.transfer_number } : {}),
        },
        include: platformTenantInclude,
      });
      const from = { business_name: before.businessName, help_text: before.helpText, transfer_number: before.transferNumber };
      await tx.auditLog.create({
        data: {
          customerId,
          actor,
          action: 'tenant.details_updated',
          target: `customer:${customerId}`,
          details: Object.fromEntries(
            Object.entries(changes).map(([field, to]) => [field, { from: from[field as keyof typeof from], to }]),
          ),
        },
      });
      return toPlatformTenant(updated);
    },
  );
}

import { AppError } from '@neurosphere/http';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { PlatformTenant } from '@neurosphere/contracts';
import { adminActor } from '../shared/actor';
import { platformTenantInclude, toPlatformTenant } from './platform-tenant';

export type SetTenantStatusOptions = {
  platformDb: Db;
  actorId: string;
  customerId: number;
} & ({ status: 'suspended'; message: string } | { status: 'active' });

/**
 * Suspends a tenant (callers get `message` instead of the agent) or resumes it. Status is a
 * platform decision: the app role cannot write customers.status, so this runs through withPlatform
 * and also leaves a row in the tenant's own audit log.
 */
export async function setTenantStatus(options: SetTenantStatusOptions): Promise<PlatformTenant> {
  const { customerId } = options;
  const actor = adminActor(options.actorId);
  const action = options.status === 'suspended' ? 'tenant.suspend' : 'tenant.resume';
  const message = options.status === 'suspended' ? options.message : null;

  return withPlatform(options.platformDb, { actor, action, customerId, ...(message === null ? {} : { reason: message }) }, async (tx) => {
    const existing = await tx.customer.findUnique({ where: { id: customerId }, select: { id: true } });
    if (!existing) throw new AppError('NOT_FOUND', `Tenant ${customerId} not found`);
    const updated = await tx.customer.update({
      where: { id: customerId },
      data: { status: options.status, suspendedMessage: message },
      include: platformTenantInclude,
    });
    await tx.auditLog.create({
      data: { customerId, actor, action, target: `customer:${customerId}`, details: message === null ? {} : { message } },
    });
    return toPlatformTenant(updated);
  });
}

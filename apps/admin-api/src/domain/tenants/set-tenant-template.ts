import { AppError, validationError } from '@neurosphere/http';
import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { PlatformTenant } from '@neurosphere/contracts';
import { adminActor } from '../shared/actor';
import { platformTenantInclude, toPlatformTenant } from './platform-tenant';

export interface SetTenantTemplateOptions {
  platformDb: Db;
  actorId: string;
  customerId: number;
  /** Defaults to the tenant's current industry. */
  industry?: string;
  version: number;
}

/** Pins a tenant to another existing industry template version (audited on both trails). */
export async function setTenantTemplate(options: SetTenantTemplateOptions): Promise<PlatformTenant> {
  const { customerId, version } = options;
  const actor = adminActor(options.actorId);
  return withPlatform(
    options.platformDb,
    { actor, action: 'tenant.set_template', customerId, details: { industry: options.industry ?? null, version } },
    async (tx) => {
      const customer = await tx.customer.findUnique({ where: { id: customerId }, select: { industry: true, templateVersion: true } });
      if (!customer) throw new AppError('NOT_FOUND', `Tenant ${customerId} not found`);
      const industry = options.industry ?? customer.industry;
      const target = await tx.industryTemplateVersion.findUnique({
        where: { industry_version: { industry, version } },
        select: { id: true },
      });
      if (!target) {
        throw validationError([{ path: 'body.version', message: `industry "${industry}" has no template version ${version}` }]);
      }
      const updated = await tx.customer.update({
        where: { id: customerId },
        data: { industry, templateVersion: version },
        include: platformTenantInclude,
      });
      await tx.auditLog.create({
        data: {
          customerId,
          actor,
          action: 'tenant.set_template',
          target: `customer:${customerId}`,
          details: { from: { industry: customer.industry, version: customer.templateVersion }, to: { industry, version } },
        },
      });
      return toPlatformTenant(updated);
    },
  );
}

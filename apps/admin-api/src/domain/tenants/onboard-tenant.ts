import { AppError, validationError } from '@neurosphere/http';
import { assignPhoneNumber, isUniqueViolation, PhoneNumberTakenError, withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { OnboardTenantRequest, PlatformTenant } from '@neurosphere/contracts';
import { hashPassword } from '../auth/password-hash';
import { adminActor } from '../shared/actor';
import { platformTenantInclude, toPlatformTenant } from './platform-tenant';

export interface OnboardTenantOptions {
  platformDb: Db;
  /** The platform admin doing it (audited). */
  actorId: string;
  request: OnboardTenantRequest;
}

export interface OnboardedTenant {
  tenant: PlatformTenant;
  owner: { id: string; email: string };
}

/**
 * Creates the tenant, its phone number, its owner (admin user + owner membership) and the first
 * tenant audit row in ONE platform transaction: any failure (unknown template version, a number
 * or email already taken, even one lost to a concurrent onboarding) rolls all of it back.
 * Uniqueness is left to the database's unique keys rather than checked first, so a race cannot
 * slip between a check and the insert.
 */
export async function onboardTenant(options: OnboardTenantOptions): Promise<OnboardedTenant> {
  const { request } = options;
  // Hashing is deliberately slow: do it before the transaction opens, not while it holds locks.
  const passwordHash = await hashPassword(request.owner_password);
  const actor = adminActor(options.actorId);

  return withPlatform(
    options.platformDb,
    {
      actor,
      action: 'tenant.onboard',
      details: {
        business_name: request.business_name,
        phone_number: request.phone_number,
        owner_email: request.owner_email,
        industry: request.industry,
        template_version: request.template_version,
      },
    },
    async (tx) => {
      const templateVersion = await tx.industryTemplateVersion.findUnique({
        where: { industry_version: { industry: request.industry, version: request.template_version } },
        select: { id: true },
      });
      if (!templateVersion) {
        throw validationError([
          {
            path: 'body.template_version',
            message: `industry "${request.industry}" has no template version ${request.template_version}`,
          },
        ]);
      }

      const customer = await tx.customer.create({
        data: {
          businessName: request.business_name,
          agentName: request.agent_name,
          greeting: request.greeting,
          voiceId: request.voice_id ?? null,
          personality: request.personality ?? '',
          industry: request.industry,
          templateVersion: request.template_version,
          transferNumber: request.transfer_number ?? null,
        },
      });

      await assignPhoneNumber(tx, { customerId: customer.id, e164: request.phone_number }).catch((error: unknown) => {
        if (!(error instanceof PhoneNumberTakenError)) throw error;
        throw new AppError('CONFLICT', `Phone number ${request.phone_number} is already assigned to a tenant`, {
          details: [{ path: 'body.phone_number', message: `${request.phone_number} is already assigned to a tenant` }],
        });
      });

      const owner = await tx.adminUser
        .create({ data: { email: request.owner_email, passwordHash }, select: { id: true, email: true } })
        .catch((error: unknown) => {
          if (!isUniqueViolation(error)) throw error;
          throw new AppError('CONFLICT', `An admin user with email ${request.owner_email} already exists`, {
            details: [{ path: 'body.owner_email', message: `${request.owner_email} is already registered` }],
          });
        });
      await tx.membership.create({ data: { customerId: customer.id, adminUserId: owner.id, role: 'owner' } });
      await tx.auditLog.create({
        data: {
          customerId: customer.id,
          actor,
          action: 'tenant.onboarded',
          target: `customer:${customer.id}`,
          details: { phone_number: request.phone_number, owner_email: request.owner_email },
        },
      });

      const created = await tx.customer.findUniqueOrThrow({ where: { id: customer.id }, include: platformTenantInclude });
      return { tenant: toPlatformTenant(created), owner };
    },
  );
}

import type { Customer, PhoneNumber } from '@neurosphere/db';
import type { PlatformTenant } from '@neurosphere/contracts';

/** Prisma include that loads what toPlatformTenant needs. */
export const platformTenantInclude = { phoneNumbers: { select: { e164: true }, orderBy: { e164: 'asc' } } } as const;

export function toPlatformTenant(customer: Customer & { phoneNumbers: Pick<PhoneNumber, 'e164'>[] }): PlatformTenant {
  return {
    customer_id: customer.id,
    business_name: customer.businessName,
    agent_name: customer.agentName,
    industry: customer.industry,
    template_version: customer.templateVersion,
    status: customer.status,
    suspended_message: customer.suspendedMessage,
    phone_numbers: customer.phoneNumbers.map((number) => number.e164),
    twilio_account: customer.twilioAccount,
    created_at: customer.createdAt.toISOString(),
    updated_at: customer.updatedAt.toISOString(),
  };
}

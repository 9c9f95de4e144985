import type { TenantSnapshot } from '../tenants/tenant-snapshot';

/**
 * The tenant's greeting (its after-hours greeting when the business is closed and it has one)
 * with `{{agent_name}}` and `{{business_name}}` filled in, so a greeting can follow a rename. It
 * does not depend on the caller, which keeps its audio cacheable for every call.
 */
export function renderGreeting(
  tenant: Pick<TenantSnapshot, 'greeting' | 'agentName' | 'businessName' | 'afterHoursGreeting'>,
  options: { afterHours: boolean } = { afterHours: false },
): string {
  const template = options.afterHours && tenant.afterHoursGreeting?.trim() ? tenant.afterHoursGreeting : tenant.greeting;
  return template
    .replace(/\{\{\s*agent_name\s*\}\}/g, tenant.agentName)
    .replace(/\{\{\s*business_name\s*\}\}/g, tenant.businessName)
    .trim();
}

import type { TenantSnapshot } from '../tenants/tenant-snapshot';

/**
 * The tenant's greeting with `{{agent_name}}` and `{{business_name}}` filled in, so a greeting can
 * follow a rename. It does not depend on the caller, which keeps its audio cacheable for every call.
 */
export function renderGreeting(tenant: Pick<TenantSnapshot, 'greeting' | 'agentName' | 'businessName'>): string {
  return tenant.greeting
    .replace(/\{\{\s*agent_name\s*\}\}/g, tenant.agentName)
    .replace(/\{\{\s*business_name\s*\}\}/g, tenant.businessName)
    .trim();
}

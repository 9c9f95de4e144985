import type { platformTenantsContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { onboardTenant } from '../domain/tenants/onboard-tenant';
import { listTenants } from '../domain/tenants/list-tenants';
import { setTenantStatus } from '../domain/tenants/set-tenant-status';
import { setTenantTemplate } from '../domain/tenants/set-tenant-template';
import { adminOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Platform-admin routes (metadata.access = platform): every one runs through withPlatform, audited. */
export function platformTenantsRoutes(deps: RouteDeps): ContractImplementation<typeof platformTenantsContract> {
  const { platformDb } = deps;
  return {
    onboardTenant: async ({ body, res }) => {
      const created = await onboardTenant({ platformDb, actorId: adminOf(res).id, request: body });
      return { status: 201, body: { success: true, ...created } };
    },
    listTenants: async ({ query, res }) => {
      const page = await listTenants({ platformDb, actorId: adminOf(res).id, ...query });
      return { status: 200, body: { success: true, tenants: page.tenants, next_cursor: page.nextCursor } };
    },
    suspendTenant: async ({ params, body, res }) => {
      const tenant = await setTenantStatus({
        platformDb,
        actorId: adminOf(res).id,
        customerId: params.customerId,
        status: 'suspended',
        message: body.message,
      });
      return { status: 200, body: { success: true, tenant } };
    },
    resumeTenant: async ({ params, res }) => {
      const tenant = await setTenantStatus({ platformDb, actorId: adminOf(res).id, customerId: params.customerId, status: 'active' });
      return { status: 200, body: { success: true, tenant } };
    },
    setTenantTemplate: async ({ params, body, res }) => {
      const tenant = await setTenantTemplate({ platformDb, actorId: adminOf(res).id, customerId: params.customerId, ...body });
      return { status: 200, body: { success: true, tenant } };
    },
  };
}

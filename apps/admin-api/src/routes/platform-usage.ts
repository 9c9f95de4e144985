import type { platformUsageContract } from '@neurosphere/contracts';
import type { ContractImplementation } from '@neurosphere/http';
import { summarizePlatformUsage, usageCsv } from '../domain/usage/platform-usage';
import { adminOf } from './authorize';
import type { RouteDeps } from './route-deps';

/** Platform-admin routes (metadata.access = platform): usage across tenants, as JSON or CSV. */
export function platformUsageRoutes(deps: RouteDeps): ContractImplementation<typeof platformUsageContract> {
  const { platformDb } = deps;
  return {
    getPlatformUsage: async ({ query, res }) => {
      const usage = await summarizePlatformUsage({
        platformDb,
        actorId: adminOf(res).id,
        from: query.from,
        to: query.to,
        customerId: query.customer_id,
      });
      return { status: 200, body: { success: true, from: query.from.toISOString(), to: query.to.toISOString(), usage } };
    },
    exportPlatformUsage: async ({ query, res }) => {
      const usage = await summarizePlatformUsage({
        platformDb,
        actorId: adminOf(res).id,
        from: query.from,
        to: query.to,
        customerId: query.customer_id,
      });
      const name = `usage-${query.from.toISOString().slice(0, 10)}-${query.to.toISOString().slice(0, 10)}.csv`;
      res.setHeader('content-disposition', `attachment; filename="${name}"`);
      return { status: 200, body: usageCsv(usage) };
    },
  };
}

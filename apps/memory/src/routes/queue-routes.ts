import { getAuth } from '@neurosphere/auth';
import { getQueueStatus } from '../domain/queue/get-queue-status';
import type { MemoryApiHandlers, RouteDeps } from './route-deps';

/** The tenant's summarization jobs: counts by state and recent failures. */
export function queueRoutes({ queue }: RouteDeps): Pick<MemoryApiHandlers, 'queueStatus'> {
  return {
    queueStatus: async ({ query, res }) => {
      const customerId = getAuth(res).customerId;
      const status = await getQueueStatus({ queue, customerId, limit: query.limit });
      return {
        status: 200,
        body: {
          success: true,
          customer_id: customerId,
          queue: status.queue,
          counts: status.counts,
          recent_failures: status.recentFailures,
        },
      };
    },
  };
}

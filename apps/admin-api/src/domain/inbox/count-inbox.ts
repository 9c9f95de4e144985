import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';

/** How many of the tenant's inbox items are in each status. */
export async function countInbox(options: { db: Db; customerId: number }): Promise<{ new: number; in_progress: number; done: number }> {
  const { customerId } = options;
  const groups = await withTenant(options.db, customerId, (tx) =>
    tx.callMessage.groupBy({ by: ['status'], where: { customerId }, _count: { _all: true } }),
  );
  const counts = { new: 0, in_progress: 0, done: 0 };
  for (const group of groups) counts[group.status] = group._count._all;
  return counts;
}

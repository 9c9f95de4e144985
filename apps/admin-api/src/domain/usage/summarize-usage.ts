import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';

export interface SummarizeUsageOptions {
  db: Db;
  customerId: number;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** Usage totals by kind over [from, to), summed in the database as numeric (no float drift). */
export async function summarizeUsage(options: SummarizeUsageOptions) {
  const { customerId } = options;
  const groups = await withTenant(options.db, customerId, (tx) =>
    tx.usageRecord.groupBy({
      by: ['kind'],
      where: { customerId, occurredAt: { gte: options.from, lt: options.to } },
      _sum: { quantity: true },
      _count: { _all: true },
      orderBy: { kind: 'asc' },
    }),
  );
  return groups.map((group) => ({
    kind: group.kind,
    quantity: group._sum.quantity?.toString() ?? '0',
    records: group._count._all,
  }));
}

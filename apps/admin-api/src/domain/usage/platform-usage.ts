import { withPlatform } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { adminActor } from '../shared/actor';

export interface PlatformUsageOptions {
  platformDb: Db;
  actorId: string;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  customerId?: number;
}

export interface TenantUsageRow {
  customer_id: number;
  /** Null for a tenant offboarded since (its usage rows went with it: none are left then). */
  business_name: string | null;
  kind: string;
  quantity: string;
  records: number;
}

/** Usage per tenant and meter over [from, to), summed in the database as numeric (no float drift). */
export async function summarizePlatformUsage(options: PlatformUsageOptions): Promise<TenantUsageRow[]> {
  const { from, to, customerId } = options;
  const { groups, names } = await withPlatform(
    options.platformDb,
    {
      actor: adminActor(options.actorId),
      action: 'usage.platform',
      ...(customerId ? { customerId } : {}),
      details: { from: from.toISOString(), to: to.toISOString() },
    },
    async (tx) => {
      const groups = await tx.usageRecord.groupBy({
        by: ['customerId', 'kind'],
        where: { occurredAt: { gte: from, lt: to }, ...(customerId ? { customerId } : {}) },
        _sum: { quantity: true },
        _count: { _all: true },
        orderBy: [{ customerId: 'asc' }, { kind: 'asc' }],
      });
      const ids = [...new Set(groups.map((group) => group.customerId))];
      const names = await tx.customer.findMany({ where: { id: { in: ids } }, select: { id: true, businessName: true } });
      return { groups, names };
    },
  );
  const nameOf = new Map(names.map((customer) => [customer.id, customer.businessName]));
  return groups.map((group) => ({
    customer_id: group.customerId,
    business_name: nameOf.get(group.customerId) ?? null,
    kind: group.kind,
    quantity: group._sum.quantity?.toString() ?? '0',
    records: group._count._all,
  }));
}

/**
 * The rows as CSV (RFC 4180: fields with commas, quotes or line breaks are quoted). A text field
 * that a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with ' so it stays text.
 */
export function usageCsv(rows: TenantUsageRow[]): string {
  const field = (value: string | number | null) => {
    const raw = value === null ? '' : String(value);
    const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(raw) && !/^-?\d+(\.\d+)?$/.test(raw) ? `'${raw}` : raw;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [['customer_id', 'business_name', 'kind', 'quantity', 'records'].join(',')];
  for (const row of rows) lines.push([row.customer_id, row.business_name, row.kind, row.quantity, row.records].map(field).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

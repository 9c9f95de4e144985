import { withTenant } from '@neurosphere/db';
import type { Db, SmsOptOut } from '@neurosphere/db';

function toOptOutView(row: SmsOptOut) {
  return { phone: row.phone, keyword: row.keyword, opted_out_at: row.optedOutAt.toISOString() };
}

export async function listSmsOptOuts(options: { db: Db; customerId: number }) {
  const { customerId } = options;
  const rows = await withTenant(options.db, customerId, (tx) =>
    tx.smsOptOut.findMany({ where: { customerId }, orderBy: [{ optedOutAt: 'desc' }, { id: 'desc' }], take: 1000 }),
  );
  return rows.map(toOptOutView);
}

/**
 * Opts a number out on the caller's behalf (audited); already opted out, it stays as it was.
 * There is deliberately no way to remove an opt-out here: only the caller's START text does.
 */
export async function addSmsOptOut(options: { db: Db; customerId: number; actor: string; phone: string }) {
  const { customerId, phone } = options;
  return withTenant(options.db, customerId, async (tx) => {
    const existing = await tx.smsOptOut.findUnique({ where: { customerId_phone: { customerId, phone } } });
    if (existing) return toOptOutView(existing);
    const row = await tx.smsOptOut.create({ data: { customerId, phone, keyword: null } });
    await tx.auditLog.create({ data: { customerId, actor: options.actor, action: 'sms_opt_out.added', target: `sms_opt_out:${row.id}` } });
    return toOptOutView(row);
  });
}

import type { TenantTx } from '@neurosphere/db';

/**
 * Whether `phone` replied STOP (or similar) to this tenant and has not replied START since.
 * Opt-outs are per tenant: another business on the platform may still text the number.
 */
export async function isOptedOut(tx: TenantTx, options: { customerId: number; phone: string }): Promise<boolean> {
  const optOut = await tx.smsOptOut.findUnique({
    where: { customerId_phone: { customerId: options.customerId, phone: options.phone } },
    select: { id: true },
  });
  return optOut !== null;
}

/** Records an opt-out; an existing one (and its original keyword and time) is kept. */
export async function recordOptOut(tx: TenantTx, options: { customerId: number; phone: string; keyword: string }): Promise<void> {
  await tx.smsOptOut.createMany({
    data: [{ customerId: options.customerId, phone: options.phone, keyword: options.keyword }],
    skipDuplicates: true,
  });
}

export async function clearOptOut(tx: TenantTx, options: { customerId: number; phone: string }): Promise<void> {
  await tx.smsOptOut.deleteMany({ where: { customerId: options.customerId, phone: options.phone } });
}

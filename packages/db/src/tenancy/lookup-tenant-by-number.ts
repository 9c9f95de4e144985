import type { Db } from '../client/create-db';
import type { CustomerStatus } from '../generated/prisma/client';

export interface TenantByNumber {
  customerId: number;
  status: CustomerStatus;
}

/**
 * Finds the tenant that owns a phone number (exact E.164 match) through the SECURITY DEFINER
 * function lookup_tenant_by_number. This is the only cross-tenant read the app role may do,
 * because the gateway must route a call before it knows the tenant; it reveals nothing but the
 * id and status. Returns null when no tenant owns the number.
 */
export async function lookupTenantByNumber(db: Db, e164: string): Promise<TenantByNumber | null> {
  const rows = await db.$queryRaw<{ customer_id: number; status: CustomerStatus }[]>`
    select customer_id, status::text as status from lookup_tenant_by_number(${e164})`;
  const row = rows[0];
  return row ? { customerId: row.customer_id, status: row.status } : null;
}

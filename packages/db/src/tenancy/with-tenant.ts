import type { Db, TenantTx } from '../client/create-db';

export interface TransactionOptions {
  /** Milliseconds to wait for a pooled connection (Prisma default 2000). */
  maxWait?: number;
  /** Milliseconds the whole transaction may take (Prisma default 5000). */
  timeout?: number;
}

/** Thrown before any query runs when a tenant id is missing or malformed. */
export class TenantContextError extends Error {
  override readonly name = 'TenantContextError';
}

export function assertCustomerId(customerId: unknown): asserts customerId is number {
  if (typeof customerId !== 'number' || !Number.isSafeInteger(customerId) || customerId <= 0) {
    throw new TenantContextError(`withTenant requires customerId to be a positive integer, got ${describe(customerId)}`);
  }
}

/**
 * Runs `work` in an interactive transaction scoped to one tenant.
 *
 * The first statement sets `app.customer_id` with `is_local = true`, so the setting dies with the
 * transaction: a pooled connection (including PgBouncer in transaction mode) never carries one
 * tenant's id into another's work. Row-level security on every tenant-owned table reads that
 * setting, so queries inside `work` see and write only this tenant's rows. Every query in `work`
 * must go through `tx`; the outer `db` has no tenant and sees nothing.
 */
export async function withTenant<T>(
  db: Db,
  customerId: number,
  work: (tx: TenantTx) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  assertCustomerId(customerId);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`select set_config('app.customer_id', ${String(customerId)}, true)`;
    return work(tx);
  }, options);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : typeof value;
}

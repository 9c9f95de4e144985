import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';

/** One call the reaper should look at. */
export interface CallToFinish {
  customerId: number;
  callSid: string;
}

/** Most calls one tenant hands to a single sweep (the rest come in the next one). */
const CALLS_PER_TENANT = 500;

/**
 * The tenants with calls to finish (call_tenants_to_finish: ids only, the app role's one
 * cross-tenant read of calls), each tenant's calls then read inside its own withTenant: an end
 * waiting in the outbox (finish_pending), or a call still open that started before `openBefore`.
 */
export async function findTenantsWithCallsToFinish(options: { db: Db; openBefore: Date }): Promise<number[]> {
  const rows = await options.db.$queryRaw<{ customer_id: number }[]>`SELECT customer_id FROM call_tenants_to_finish(${options.openBefore})`;
  return rows.map((row) => row.customer_id);
}

export async function findCallsToFinish(options: { db: Db; customerId: number; openBefore: Date }): Promise<CallToFinish[]> {
  const { db, customerId, openBefore } = options;
  const calls = await withTenant(db, customerId, (tx) =>
    tx.call.findMany({
      where: { customerId, OR: [{ finishPending: true }, { endedAt: null, startedAt: { lt: openBefore } }] },
      select: { callSid: true },
      orderBy: { startedAt: 'asc' },
      take: CALLS_PER_TENANT,
    }),
  );
  return calls.map((call) => ({ customerId, callSid: call.callSid }));
}

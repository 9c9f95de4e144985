import { AppError } from '@neurosphere/http';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { toCallListItem, toCallTurn } from './call-view';

export interface GetCallOptions {
  db: Db;
  customerId: number;
  callId: string;
}

/** One call of the tenant with its turns in order; another tenant's call id is simply not found. */
export async function getCall(options: GetCallOptions) {
  const { customerId, callId } = options;
  const call = await withTenant(options.db, customerId, (tx) =>
    tx.call.findUnique({
      where: { customerId_id: { customerId, id: callId } },
      include: { turns: { orderBy: { turnIndex: 'asc' } } },
    }),
  );
  if (!call) throw new AppError('NOT_FOUND', `Call ${callId} not found`);
  return { ...toCallListItem(call), turns: call.turns.map(toCallTurn) };
}

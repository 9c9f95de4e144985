import { AppError } from '@neurosphere/http';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { toCallListItem, toCallSummaryDetail, toCallTurn } from './call-view';

export interface GetCallOptions {
  db: Db;
  customerId: number;
  callId: string;
}

/** One call of the tenant with its turns in order and its summary; another tenant's call id is simply not found. */
export async function getCall(options: GetCallOptions) {
  const { customerId, callId } = options;
  const found = await withTenant(options.db, customerId, async (tx) => {
    const call = await tx.call.findUnique({
      where: { customerId_id: { customerId, id: callId } },
      include: { turns: { orderBy: { turnIndex: 'asc' } } },
    });
    const summary = call ? await tx.callSummary.findUnique({ where: { customerId_callSid: { customerId, callSid: call.callSid } } }) : null;
    return call ? { call, summary } : null;
  });
  if (!found) throw new AppError('NOT_FOUND', `Call ${callId} not found`);
  return {
    ...toCallListItem(found.call),
    turns: found.call.turns.map(toCallTurn),
    summary: found.summary ? toCallSummaryDetail(found.summary) : null,
  };
}

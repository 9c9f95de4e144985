import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { withTimeout } from '../../lib/timeout';

export interface FallbackAnswerEntry {
  customerId: number;
  callSid: string;
  /** Why the caller got a fallback: turn_budget_exceeded, model_unavailable, ... */
  reason: string;
}

/** One row in fallback_answers (inside the tenant): what the platform's tenant health view counts. */
export async function recordFallbackAnswer(options: FallbackAnswerEntry & { db: Db; timeoutMs: number }): Promise<void> {
  const { db, customerId, callSid, reason, timeoutMs } = options;
  await withTimeout('record fallback answer', timeoutMs, () =>
    withTenant(db, customerId, (tx) => tx.fallbackAnswer.create({ data: { customerId, callSid, reason } }), { maxWait: timeoutMs, timeout: timeoutMs }),
  );
}

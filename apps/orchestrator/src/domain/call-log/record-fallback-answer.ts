import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { withTimeout } from '../../lib/timeout';
import type { FallbackAnswerEntry } from '../../observability/report-failure';

/** One row in fallback_answers (inside the tenant): what the platform's tenant health view counts. */
export async function recordFallbackAnswer(options: FallbackAnswerEntry & { db: Db; timeoutMs: number }): Promise<void> {
  const { db, customerId, callSid, reason, timeoutMs } = options;
  await withTimeout('record fallback answer', timeoutMs, () =>
    withTenant(db, customerId, (tx) => tx.fallbackAnswer.create({ data: { customerId, callSid, reason } }), {
      maxWait: timeoutMs,
      timeout: timeoutMs,
    }),
  );
}

import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { withTimeout } from '../../lib/timeout';

/** What call_messages.caller_number holds when the caller withheld their number. */
export const WITHHELD_CALLER_NUMBER = 'anonymous';

export interface RecordCallerMessageOptions {
  db: Db;
  /** The call's tenant: the row is written inside withTenant for it. */
  customerId: number;
  callSid: string;
  kind: 'message' | 'callback';
  /** The number the call came from (never one the model chose); null when withheld. */
  callerPhone: string | null;
  callerName?: string;
  message: string;
  /** Free text as the caller said it ("tomorrow after 3"). */
  callbackTime?: string;
  /** The number to call back, E.164, as the caller confirmed it. */
  callbackNumber?: string;
  /** Taken because a transfer to a person went unanswered (staff see it in the inbox). */
  transferFailed?: boolean;
  /** As the caller put it (the model's judgement); normal when not said. */
  urgency?: 'low' | 'normal' | 'high';
  timeoutMs: number;
}

/** A message or callback request for the business, in call_messages. Returns the row id. */
export async function recordCallerMessage(options: RecordCallerMessageOptions): Promise<string> {
  const { db, customerId, timeoutMs } = options;
  const row = await withTimeout('record caller message', timeoutMs, () =>
    withTenant(
      db,
      customerId,
      (tx) =>
        tx.callMessage.create({
          data: {
            customerId,
            callSid: options.callSid,
            kind: options.kind,
            callerNumber: options.callerPhone ?? WITHHELD_CALLER_NUMBER,
            callerName: options.callerName || null,
            message: options.message,
            callbackTime: options.callbackTime || null,
            callbackNumber: options.callbackNumber ?? null,
            transferFailed: options.transferFailed ?? false,
            urgency: options.urgency ?? 'normal',
          },
          select: { id: true },
        }),
      { maxWait: timeoutMs, timeout: timeoutMs },
    ),
  );
  return row.id;
}

import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import { fromTwilioStatus, statusesBefore } from './message-status';

export interface RecordDeliveryStatusOptions {
  customerId: number;
  /** Twilio's MessageSid. */
  twilioSid: string;
  /** Twilio's MessageStatus (queued, sent, delivered, undelivered, failed, ...). */
  twilioStatus: string;
  /** Twilio's ErrorCode, e.g. 30003 (unreachable handset). */
  errorCode?: string;
  errorMessage?: string;
}

/**
 * Applies a Twilio status callback to the tenant's message with that SID, forward only: one
 * UPDATE whose WHERE admits only earlier states, so callbacks arriving out of order (or twice)
 * cannot move a message backwards. Returns whether anything changed.
 */
export async function recordDeliveryStatus(
  deps: { db: Db; logger: Logger },
  options: RecordDeliveryStatusOptions,
): Promise<{ updated: boolean }> {
  const { customerId, twilioSid } = options;
  const status = fromTwilioStatus(options.twilioStatus);
  if (!status) {
    deps.logger.info(
      { customer_id: customerId, twilioSid, twilioStatus: options.twilioStatus },
      'sms status callback ignored: status not tracked',
    );
    return { updated: false };
  }
  const now = new Date();
  const isFailure = status === 'failed' || status === 'undelivered';
  const result = await withTenant(deps.db, customerId, (tx) =>
    tx.smsMessage.updateMany({
      where: { customerId, twilioSid, direction: 'outbound', status: { in: statusesBefore(status) } },
      data: {
        status,
        ...(status === 'delivered' ? { deliveredAt: now } : {}),
        ...(isFailure ? { failedAt: now, errorCode: options.errorCode ?? null, errorMessage: options.errorMessage ?? null } : {}),
      },
    }),
  );
  return { updated: result.count > 0 };
}

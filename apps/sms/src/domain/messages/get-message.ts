import { withTenant } from '@neurosphere/db';
import type { Db, SmsMessage } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';

/** One message of the tenant; another tenant's id is "not found", like an unknown one. */
export async function getMessage(db: Db, options: { customerId: number; messageId: string }): Promise<SmsMessage> {
  const { customerId, messageId } = options;
  const message = await withTenant(db, customerId, (tx) =>
    tx.smsMessage.findUnique({ where: { customerId_id: { customerId, id: messageId } } }),
  );
  if (!message) throw new AppError('NOT_FOUND', `Message ${messageId} not found`);
  return message;
}

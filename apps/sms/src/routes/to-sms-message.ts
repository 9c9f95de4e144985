import type { SmsMessage as SmsMessageWire } from '@neurosphere/contracts';
import type { SmsMessage } from '@neurosphere/db';

/** A stored message as the contract shows it (no tenant id, attempts or idempotency key). */
export function toSmsMessage(message: SmsMessage): SmsMessageWire {
  return {
    id: message.id,
    direction: message.direction,
    to: message.toNumber,
    from: message.fromNumber,
    body: message.body,
    status: message.status,
    template: message.templateName,
    twilio_sid: message.twilioSid,
    error_code: message.errorCode,
    error_message: message.errorMessage,
    created_at: message.createdAt.toISOString(),
    updated_at: message.updatedAt.toISOString(),
  };
}

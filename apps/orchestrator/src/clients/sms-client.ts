import type { ServiceTokenSigner } from '@neurosphere/auth';
import { smsContract } from '@neurosphere/contracts';
import { createServiceClient } from '@neurosphere/http';

/** The sms-service call the send_sms tool makes. The tenant is the token's customer_id. */
export interface SmsClient {
  sendMessage(options: {
    customerId: number;
    callSid: string;
    to: string;
    body: string;
    idempotencyKey: string;
    timeoutMs: number;
  }): Promise<{ messageId: string; status: string }>;
}

export function createSmsClient(options: {
  baseUrl: string;
  signer: ServiceTokenSigner;
  /** The longest any request may take; each call passes the (usually shorter) time its deadline leaves. */
  timeoutMs: number;
}): SmsClient {
  const sms = createServiceClient(smsContract, { service: 'sms', ...options });

  return {
    async sendMessage({ customerId, callSid, to, body, idempotencyKey, timeoutMs }) {
      const response = await sms.call(
        'sendMessage',
        { customerId, callSid, timeoutMs },
        (client, init) => client.sendMessage({ ...init, body: { to, body, idempotency_key: idempotencyKey, call_sid: callSid } }),
        202,
      );
      return { messageId: response.body.message.id, status: response.body.message.status };
    },
  };
}

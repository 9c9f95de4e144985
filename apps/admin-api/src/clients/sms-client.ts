import type { ServiceTokenSigner } from '@neurosphere/auth';
import { smsContract } from '@neurosphere/contracts';
import { createServiceClient } from '@neurosphere/http';

/** The sms-service call staff notifications make: a text from the tenant's number (the token's tenant). */
export interface StaffSms {
  send(options: { customerId: number; to: string; body: string; idempotencyKey: string }): Promise<{ messageId: string }>;
}

export function createStaffSms(options: { baseUrl: string; signer: ServiceTokenSigner; timeoutMs: number }): StaffSms {
  const sms = createServiceClient(smsContract, { service: 'sms', ...options });
  return {
    async send({ customerId, to, body, idempotencyKey }) {
      const response = await sms.call(
        'sendMessage',
        { customerId },
        (client, init) => client.sendMessage({ ...init, body: { to, body, idempotency_key: idempotencyKey } }),
        202,
      );
      return { messageId: response.body.message.id };
    },
  };
}

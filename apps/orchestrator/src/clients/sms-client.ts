import type { ServiceTokenSigner } from '@neurosphere/auth';
import { smsContract } from '@neurosphere/contracts';
import { initClient } from '@ts-rest/core';
import { withTimeout } from '../lib/timeout';
import { bearerFor, ServiceResponseError } from './service-token';

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

export function createSmsClient(options: { baseUrl: string; signer: ServiceTokenSigner }): SmsClient {
  const client = initClient(smsContract, { baseUrl: options.baseUrl, validateResponse: true, throwOnUnknownStatus: true });

  return {
    async sendMessage({ customerId, callSid, to, body, idempotencyKey, timeoutMs }) {
      const response = await withTimeout('sms sendMessage', timeoutMs, async (signal) =>
        client.sendMessage({
          body: { to, body, idempotency_key: idempotencyKey, call_sid: callSid },
          extraHeaders: { authorization: await bearerFor(options.signer, { audience: 'sms', customerId, callSid }) },
          fetchOptions: { signal },
        }),
      );
      if (response.status !== 202) throw new ServiceResponseError('sms', response.status, response.body);
      return { messageId: response.body.message.id, status: response.body.message.status };
    },
  };
}

import type { ServiceTokenSigner } from '@neurosphere/auth';
import { smsContract } from '@neurosphere/contracts';
import { createServiceClient } from '@neurosphere/http';

/**
 * The gateway's door to the sms service: hands over Twilio's SMS webhooks with a service JWT for
 * the number's tenant, a timeout and a validated answer (createServiceClient).
 */
export interface SmsClient {
  /** Returns the text to send back (e.g. the HELP answer), or null. */
  inbound(options: {
    customerId: number;
    messageSid: string;
    from: string;
    to: string;
    body: string;
    requestId?: string;
  }): Promise<string | null>;
  statusCallback(options: {
    customerId: number;
    messageSid: string;
    messageStatus: string;
    errorCode?: string;
    errorMessage?: string;
    requestId?: string;
  }): Promise<void>;
}

export function createSmsClient(options: { baseUrl: string; signer: ServiceTokenSigner; timeoutMs: number }): SmsClient {
  const sms = createServiceClient(smsContract, { service: 'sms', ...options });

  return {
    async inbound({ customerId, messageSid, from, to, body, requestId }) {
      const response = await sms.call(
        'inbound',
        { customerId, requestId },
        (client, init) => client.inbound({ ...init, body: { message_sid: messageSid, from, to, body } }),
        200,
      );
      return response.body.reply;
    },

    async statusCallback({ customerId, messageSid, messageStatus, errorCode, errorMessage, requestId }) {
      const body = {
        message_sid: messageSid,
        message_status: messageStatus,
        ...(errorCode === undefined ? {} : { error_code: errorCode }),
        ...(errorMessage === undefined ? {} : { error_message: errorMessage }),
      };
      await sms.call('status', { customerId, requestId }, (client, init) => client.statusCallback({ ...init, body }), 200);
    },
  };
}

import type { ServiceTokenSigner } from '@neurosphere/auth';
import { smsContract } from '@neurosphere/contracts';
import { initClient } from '@ts-rest/core';
import { createNodeHttpFetcher } from './node-http-fetcher';
import { toUpstreamError, unexpectedStatus } from './upstream-error';

/**
 * The gateway's door to the sms service: hands over Twilio's SMS webhooks with a service JWT for
 * the number's tenant, a timeout and a validated answer.
 */
export interface SmsClient {
  /** Returns the text to send back (e.g. the HELP answer), or null. */
  inbound(options: { customerId: number; messageSid: string; from: string; to: string; body: string; requestId?: string }): Promise<string | null>;
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
  const client = initClient(smsContract, { baseUrl: options.baseUrl, baseHeaders: {}, validateResponse: true, api: createNodeHttpFetcher() });
  const headers = async (customerId: number, requestId: string | undefined) => ({
    authorization: `Bearer ${await options.signer.sign({ audience: 'sms', customerId })}`,
    ...(requestId ? { 'x-request-id': requestId } : {}),
  });

  async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toUpstreamError('sms', operation, error);
    }
  }

  return {
    inbound: ({ customerId, messageSid, from, to, body, requestId }) =>
      guarded('inbound', async () => {
        const response = await client.inbound({
          body: { message_sid: messageSid, from, to, body },
          extraHeaders: await headers(customerId, requestId),
          fetchOptions: { signal: AbortSignal.timeout(options.timeoutMs) },
        });
        if (response.status !== 200) throw unexpectedStatus('sms', 'inbound', response.status, response.body);
        return response.body.reply;
      }),

    statusCallback: ({ customerId, messageSid, messageStatus, errorCode, errorMessage, requestId }) =>
      guarded('status', async () => {
        const response = await client.statusCallback({
          body: {
            message_sid: messageSid,
            message_status: messageStatus,
            ...(errorCode === undefined ? {} : { error_code: errorCode }),
            ...(errorMessage === undefined ? {} : { error_message: errorMessage }),
          },
          extraHeaders: await headers(customerId, requestId),
          fetchOptions: { signal: AbortSignal.timeout(options.timeoutMs) },
        });
        if (response.status !== 200) throw unexpectedStatus('sms', 'status', response.status, response.body);
      }),
  };
}

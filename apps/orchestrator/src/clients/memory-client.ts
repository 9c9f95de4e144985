import type { ServiceTokenSigner } from '@neurosphere/auth';
import { memoryContract } from '@neurosphere/contracts';
import type { ConversationTurn, EnrichedContext } from '@neurosphere/contracts';
import { initClient } from '@ts-rest/core';
import { withTimeout } from '../lib/timeout';
import { bearerFor, ServiceResponseError } from './service-token';

/** The two memory-service calls a live call needs, each bounded by its own timeout. */
export interface MemoryClient {
  enrichedContext(options: { customerId: number; callSid: string; callerPhone: string; timeoutMs: number }): Promise<EnrichedContext>;
  processCall(options: {
    customerId: number;
    callSid: string;
    callerPhone: string;
    threadId: string;
    conversation: ConversationTurn[];
    timeoutMs: number;
  }): Promise<{ jobId: string; status: 'queued' | 'already_queued' | 'completed' }>;
}

export function createMemoryClient(options: { baseUrl: string; signer: ServiceTokenSigner }): MemoryClient {
  // Responses are parsed through the contract's schemas, so a drifting memory service fails here, loudly.
  const client = initClient(memoryContract, { baseUrl: options.baseUrl, validateResponse: true, throwOnUnknownStatus: true });

  return {
    async enrichedContext({ customerId, callSid, callerPhone, timeoutMs }) {
      const response = await withTimeout('memory enrichedContext', timeoutMs, async (signal) =>
        client.enrichedContext({
          body: { customer_id: customerId, user_id: callerPhone },
          extraHeaders: { authorization: await bearerFor(options.signer, { audience: 'memory', customerId, callSid }) },
          fetchOptions: { signal },
        }),
      );
      if (response.status !== 200) throw new ServiceResponseError('memory', response.status, response.body);
      if (response.body.customer_id !== customerId) {
        // Never let another tenant's caller context into this call's prompt.
        throw new ServiceResponseError('memory', 200, { error: `context for customer ${response.body.customer_id}` });
      }
      return response.body;
    },

    async processCall({ customerId, callSid, callerPhone, threadId, conversation, timeoutMs }) {
      const response = await withTimeout('memory processCall', timeoutMs, async (signal) =>
        client.processCall({
          body: {
            customer_id: customerId,
            user_id: callerPhone,
            thread_id: threadId,
            call_sid: callSid,
            conversation_history: conversation,
          },
          extraHeaders: { authorization: await bearerFor(options.signer, { audience: 'memory', customerId, callSid }) },
          fetchOptions: { signal },
        }),
      );
      if (response.status !== 202) throw new ServiceResponseError('memory', response.status, response.body);
      return { jobId: response.body.job_id, status: response.body.status };
    },
  };
}

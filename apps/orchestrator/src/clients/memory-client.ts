import type { ServiceTokenSigner } from '@neurosphere/auth';
import { memoryContract } from '@neurosphere/contracts';
import type { ConversationTurn, EnrichedContext } from '@neurosphere/contracts';
import { createServiceClient } from '@neurosphere/http';

/**
 * The two memory-service calls a live call needs, each bounded by its own timeout. Failures are
 * UpstreamErrors; an answer about another tenant's caller is one of them (createServiceClient's
 * customer_id check), so it never reaches this call's prompt.
 */
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

export function createMemoryClient(options: {
  baseUrl: string;
  signer: ServiceTokenSigner;
  /** The longest any request may take; each call passes the (usually shorter) time its deadline leaves. */
  timeoutMs: number;
}): MemoryClient {
  const memory = createServiceClient(memoryContract, { service: 'memory', ...options });

  return {
    async enrichedContext({ customerId, callSid, callerPhone, timeoutMs }) {
      const response = await memory.call(
        'enrichedContext',
        { customerId, callSid, timeoutMs },
        (client, init) => client.enrichedContext({ ...init, body: { customer_id: customerId, user_id: callerPhone } }),
        200,
      );
      return response.body;
    },

    async processCall({ customerId, callSid, callerPhone, threadId, conversation, timeoutMs }) {
      const body = {
        customer_id: customerId,
        user_id: callerPhone,
        thread_id: threadId,
        call_sid: callSid,
        conversation_history: conversation,
      };
      const response = await memory.call(
        'processCall',
        { customerId, callSid, timeoutMs },
        (client, init) => client.processCall({ ...init, body }),
        202,
      );
      return { jobId: response.body.job_id, status: response.body.status };
    },
  };
}

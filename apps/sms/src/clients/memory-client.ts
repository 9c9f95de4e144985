import type { ServiceTokenSigner } from '@neurosphere/auth';
import { memoryContract } from '@neurosphere/contracts';
import { createServiceClient } from '@neurosphere/http';

/** What the sms service asks the memory service: the prompt-ready context about one caller. */
export interface MemoryContextClient {
  /**
   * The caller's prompt_context ('' for an unknown caller). Throws an UpstreamError when memory
   * gives no valid answer for this tenant.
   */
  promptContext(options: { customerId: number; callerPhone: string }): Promise<string>;
}

export interface CreateMemoryContextClientOptions {
  /** MEMORY_URL */
  baseUrl: string;
  /** Signs the service tokens (iss sms, aud memory). */
  signer: ServiceTokenSigner;
  timeoutMs: number;
}

export function createMemoryContextClient(options: CreateMemoryContextClientOptions): MemoryContextClient {
  const memory = createServiceClient(memoryContract, { service: 'memory', ...options });
  return {
    async promptContext({ customerId, callerPhone }) {
      const response = await memory.call(
        'enrichedContext',
        { customerId },
        (client, init) => client.enrichedContext({ ...init, body: { customer_id: customerId, user_id: callerPhone } }),
        200,
      );
      return response.body.prompt_context;
    },
  };
}

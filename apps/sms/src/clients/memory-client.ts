import type { ServiceTokenSigner } from '@neurosphere/auth';
import { memoryContract } from '@neurosphere/contracts';
import { initClient } from '@ts-rest/core';

/** What the sms service asks the memory service: the prompt-ready context about one caller. */
export interface MemoryContextClient {
  /** The caller's prompt_context ('' for an unknown caller); throws when memory does not answer 200. */
  promptContext(options: { customerId: number; callerPhone: string }): Promise<string>;
}

export interface CreateMemoryContextClientOptions {
  /** MEMORY_URL */
  baseUrl: string;
  /** Signs a fresh service token (iss sms, aud memory) per request. */
  signer: ServiceTokenSigner;
  timeoutMs: number;
}

/** A thin adapter over memoryContract's ts-rest client (the contract is the only shared code). */
export function createMemoryContextClient(options: CreateMemoryContextClientOptions): MemoryContextClient {
  const client = initClient(memoryContract, { baseUrl: options.baseUrl.replace(/\/+$/, ''), baseHeaders: {} });
  return {
    async promptContext({ customerId, callerPhone }) {
      const token = await options.signer.sign({ audience: 'memory', customerId });
      const response = await client.enrichedContext({
        body: { customer_id: customerId, user_id: callerPhone },
        extraHeaders: { authorization: `Bearer ${token}` },
        fetchOptions: { signal: AbortSignal.timeout(options.timeoutMs) },
      });
      if (response.status !== 200) throw new Error(`memory service answered ${response.status}`);
      return response.body.prompt_context;
    },
  };
}

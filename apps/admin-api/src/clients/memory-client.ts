import type { ServiceTokenSigner } from '@neurosphere/auth';
import { memoryContract } from '@neurosphere/contracts';
import { createServiceClient } from '@neurosphere/http';

/** The memory-service call behind a caller's erasure (it also drops the caller's queued jobs). */
export interface CallerErasure {
  erase(options: { customerId: number; callerPhone: string }): Promise<{ deleted: Record<string, number> }>;
}

export function createCallerErasure(options: { baseUrl: string; signer: ServiceTokenSigner; timeoutMs: number }): CallerErasure {
  const memory = createServiceClient(memoryContract, { service: 'memory', ...options });
  return {
    async erase({ customerId, callerPhone }) {
      const response = await memory.call(
        'eraseCaller',
        { customerId },
        (client, init) => client.eraseCaller({ ...init, params: { user_id: callerPhone }, query: { customer_id: customerId } }),
        200,
      );
      return { deleted: response.body.deleted };
    },
  };
}

import { createServiceTokenSigner, generateServiceKeyPair } from '@neurosphere/auth';
import { startFakeServer } from '@neurosphere/testing';
import type { FakeServer } from '@neurosphere/testing';
import { createCallerErasure } from '../src/clients/memory-client';
import type { CallerErasure } from '../src/clients/memory-client';

/**
 * The memory service's erasure route as a fake server on 127.0.0.1 (answering like memory does),
 * and the admin-api's real client for it, signing as admin-api.
 */
export async function startFakeMemory(): Promise<{ server: FakeServer; erasure: CallerErasure }> {
  const server = await startFakeServer({
    'DELETE /v2/callers/:user_id': (req, params) => ({
      status: 200,
      body: {
        success: true,
        customer_id: Number(req.query.get('customer_id')),
        user_id: decodeURIComponent(params.user_id ?? ''),
        deleted: { memories: 2, call_summaries: 1, caller_profiles: 1, personality_metrics: 0, personality_averages: 0 },
        jobs_removed: 0,
      },
    }),
  });
  const keys = await generateServiceKeyPair(`admin-api-test-${Date.now()}`);
  const signer = createServiceTokenSigner({ issuer: 'admin-api', privateJwk: keys.privateJwk });
  return { server, erasure: createCallerErasure({ baseUrl: server.url, signer, timeoutMs: 5000 }) };
}

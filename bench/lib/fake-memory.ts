import { startFakeServer } from '@neurosphere/testing';
import type { FakeServer } from '@neurosphere/testing';
import { emptyEnrichedContext } from './empty-enriched-context';

/** A memory stand-in that knows no caller and takes every finished call at once (call-turn.ts, relay-stream.ts). */
export function startFakeMemory(): Promise<FakeServer> {
  return startFakeServer({
    'POST /v2/context/enriched': (recorded) => {
      const body = recorded.body as { customer_id: number; user_id: string };
      return { status: 200, body: emptyEnrichedContext(body.customer_id, body.user_id) };
    },
    'POST /v2/process-call': () => ({ status: 202, body: { success: true, job_id: 'bench', status: 'queued' } }),
  });
}

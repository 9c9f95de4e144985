import { getAuth } from '@neurosphere/auth';
import { submitCall } from '../domain/calls/submit-call';
import { getEnrichedContext } from '../domain/context/get-enriched-context';
import type { MemoryApiHandlers, RouteDeps } from './route-deps';

/** What the orchestrator calls during and after a live call. The tenant is always the token's. */
export function contextRoutes({ db, pool, queue }: RouteDeps): Pick<MemoryApiHandlers, 'enrichedContext' | 'processCall'> {
  return {
    enrichedContext: async ({ body, res }) => {
      const context = await getEnrichedContext({ pool, db, customerId: getAuth(res).customerId, userId: body.user_id });
      return { status: 200, body: context };
    },
    processCall: async ({ body, res }) => {
      const result = await submitCall({
        db,
        queue,
        customerId: getAuth(res).customerId,
        userId: body.user_id,
        threadId: body.thread_id,
        callSid: body.call_sid,
        conversationHistory: body.conversation_history,
      });
      return { status: 202, body: { success: true, job_id: result.jobId, status: result.status } };
    },
  };
}

import { defineJob, jobId, PermanentJobError } from '@neurosphere/jobs';
import type { JobContext } from '@neurosphere/jobs';
import { z } from 'zod';
import { TwilioAccountUnusableError } from '../clients/twilio-calls';
import type { CallRuntime } from '../domain/call-runtime/call-runtime';
import { finishUnendedCall } from '../domain/calls/finish-unended-call';
import { ORCHESTRATOR_QUEUE_NAME } from './orchestrator-queue';

/** Job name (also the kind in its job ids). Never reuse it for another payload shape. */
export const FINISH_CALL_JOB = 'finish-call';

/**
 * Finishes a call whose end waits in an outbox or never came (finishUnendedCall). Retried with the
 * queue's backoff for as long as PostgreSQL, Redis or Twilio keep failing; a tenant Twilio account
 * that cannot be used is permanent. Removed once done, so the reaper's next sweep can enqueue the
 * same call again while Twilio still reports it live; running twice is harmless.
 */
export const finishCallJob = defineJob({
  name: FINISH_CALL_JOB,
  queue: ORCHESTRATOR_QUEUE_NAME,
  // Ids only: the handler re-reads the call's row and state.
  payload: z.object({
    customerId: z.number().int().positive(),
    callSid: z.string().min(1),
  }),
  // One job per tenant and call: a sweep and an outbox scheduling the same call queue it once.
  jobId: ({ customerId, callSid }) => jobId(FINISH_CALL_JOB, customerId, callSid),
  options: { attempts: 30, removeOnComplete: true, removeOnFail: { age: 24 * 3600 } },
  handler: async ({ customerId, callSid }, { deps, logger }: JobContext<CallRuntime>) => {
    try {
      const result = await finishUnendedCall({ runtime: deps, customerId, callSid });
      logger.info({ callSid, result }, 'finish-call done');
      return { result };
    } catch (error) {
      if (error instanceof TwilioAccountUnusableError) throw new PermanentJobError(error.message, { cause: error });
      throw error;
    }
  },
});

import { UpstreamError } from '@neurosphere/http';
import { defineJob, jobId, PermanentJobError } from '@neurosphere/jobs';
import type { JobContext } from '@neurosphere/jobs';
import { z } from 'zod';
import type { CallRuntime } from '../domain/call-runtime/call-runtime';
import { submitTranscript, submitTranscriptDependency } from '../domain/call-log/submit-transcript';
import { ORCHESTRATOR_QUEUE_NAME } from './orchestrator-queue';

/** Job name (also the kind in its job ids). Never reuse it for another payload shape. */
export const SUBMIT_TRANSCRIPT_JOB = 'submit-transcript';

export type SubmitTranscriptJobDeps = Pick<CallRuntime, 'db' | 'memory' | 'failures' | 'settings'>;

/**
 * Hands a saved call's transcript to memory when that failed at the end of the call. A failure
 * memory will repeat (UpstreamError.permanent: a 4xx other than 408/429, or an answer its contract
 * does not allow) is permanent; anything else (memory down, PostgreSQL) is retried with the
 * queue's backoff. Running twice is harmless: the call's
 * transcript_submitted_at stamp makes a second run a no-op, and memory keeps one summary per call.
 */
export const submitTranscriptJob = defineJob({
  name: SUBMIT_TRANSCRIPT_JOB,
  queue: ORCHESTRATOR_QUEUE_NAME,
  // Ids only: the handler re-reads the call log from PostgreSQL.
  payload: z.object({
    customerId: z.number().int().positive(),
    callSid: z.string().min(1),
  }),
  // One job per tenant and call: scheduling it again while it waits is a no-op.
  jobId: ({ customerId, callSid }) => jobId(SUBMIT_TRANSCRIPT_JOB, customerId, callSid),
  options: { removeOnComplete: { age: 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
  handler: async ({ customerId, callSid }, { deps, logger }: JobContext<SubmitTranscriptJobDeps>) => {
    try {
      const result = await submitTranscript({
        db: deps.db,
        memory: deps.memory,
        customerId,
        callSid,
        databaseTimeoutMs: deps.settings.databaseTimeoutMs,
        memoryTimeoutMs: deps.settings.memorySubmitTimeoutMs,
      });
      logger.info({ callSid, result }, 'transcript retry finished');
      return { result };
    } catch (error) {
      deps.failures.dependencyFailed({
        dependency: submitTranscriptDependency(error),
        error,
        customerId,
        callSid,
        operation: 'submit transcript (retry)',
      });
      if (error instanceof UpstreamError && error.permanent) {
        throw new PermanentJobError(`memory refused the transcript: ${error.message}`, { cause: error });
      }
      throw error;
    }
  },
});

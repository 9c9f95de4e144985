import { TenantContextError } from '@neurosphere/db';
import type { Db, Keyring } from '@neurosphere/db';
import { defineJob, enqueue, jobId, PermanentJobError } from '@neurosphere/jobs';
import type { JobContext, JobId } from '@neurosphere/jobs';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { PermanentSummarizeError } from '../domain/calls/call-summarizer';
import type { CallSummarizer } from '../domain/calls/call-summarizer';
import { MalformedCallDataError, summarizeCall } from '../domain/calls/summarize-call';
import { InvalidTemplateError, UnknownTenantError } from '../domain/templates/pinned-template';
import { MEMORY_QUEUE_NAME } from './memory-queue';

/** Job name (also the kind in every job id). Never reuse it for another payload shape. */
export const SUMMARIZE_CALL_JOB = 'process-call';

export interface SummarizeCallJobDeps {
  db: Db;
  summarizer: CallSummarizer;
  /** BYOK_KEYS: decrypts tenants' own OpenAI keys. */
  keyring: Keyring | undefined;
}

/**
 * Summarizes one stored call. Malformed stored transcripts, invalid templates and requests the
 * model can never answer fail at once (PermanentJobError); everything else (database, timeouts,
 * provider errors, output that failed validation) is retried with the queue's exponential backoff.
 */
export const summarizeCallJob = defineJob({
  name: SUMMARIZE_CALL_JOB,
  queue: MEMORY_QUEUE_NAME,
  // Ids only: the handler re-reads the transcript, so the queue never holds what the caller said.
  payload: z
    .object({
      customerId: z.number().int().positive(),
      callSid: z.string().min(1).max(64),
    })
    .strict(),
  // One job per tenant and call, so a repeated post or a retried request never queues a second summarization.
  jobId: ({ customerId, callSid }) => jobId(SUMMARIZE_CALL_JOB, customerId, callSid),
  handler: async ({ customerId, callSid }, { deps, logger, signal }: JobContext<SummarizeCallJobDeps>) => {
    try {
      const result = await summarizeCall({
        db: deps.db,
        summarizer: deps.summarizer,
        keyring: deps.keyring,
        customerId,
        callSid,
        signal,
        logger,
      });
      logger.info({ callSid, outcome: result.outcome }, 'call summarization finished');
      return result;
    } catch (error) {
      if (
        error instanceof MalformedCallDataError ||
        error instanceof PermanentSummarizeError ||
        error instanceof InvalidTemplateError ||
        error instanceof UnknownTenantError ||
        error instanceof TenantContextError
      ) {
        throw new PermanentJobError(error.message, { cause: error });
      }
      throw error;
    }
  },
});

export type SummarizeCallPayload = z.input<typeof summarizeCallJob.payload>;

/**
 * Enqueues the summarization of one stored call. Adding an id that exists is a no-op in BullMQ;
 * a job that already failed is retried instead, and a completed one (whose call was erased and
 * posted again) is replaced, so a re-post is also the way to recover a call.
 */
export async function enqueueSummarizeCall(queue: Queue, payload: SummarizeCallPayload): Promise<JobId> {
  const existing = await queue.getJob(summarizeCallJob.jobId(payload));
  if (existing) {
    const state = await existing.getState();
    if (state === 'failed') {
      await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return summarizeCallJob.jobId(payload);
    }
    if (state === 'completed') await existing.remove();
  }
  return enqueue(queue, summarizeCallJob, payload);
}

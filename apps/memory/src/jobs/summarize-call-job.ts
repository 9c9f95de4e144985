import type { Logger } from '@neurosphere/http';
import { TenantContextError } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { UnrecoverableError } from 'bullmq';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { PermanentSummarizeError } from '../domain/calls/call-summarizer';
import type { CallSummarizer } from '../domain/calls/call-summarizer';
import { MalformedCallDataError, summarizeCall } from '../domain/calls/summarize-call';
import { InvalidTemplateError, UnknownTenantError } from '../domain/templates/pinned-template';
import type { JobHandler } from './memory-worker';

/** Job name (also the first part of every job id). Never reuse it for another payload shape. */
export const SUMMARIZE_CALL_JOB = 'process-call';

/** Ids only: the handler re-reads the transcript, so the queue never holds what the caller said. */
export const summarizeCallPayloadSchema = z
  .object({
    customerId: z.number().int().positive(),
    callSid: z.string().min(1).max(64),
  })
  .strict();
export type SummarizeCallPayload = z.infer<typeof summarizeCallPayloadSchema>;

/**
 * `process-call:<customerId>:<callSid>`: one job per tenant and call, so a repeated post or a
 * retried request never queues a second summarization. (BullMQ accepts ":" in a custom id only as
 * exactly three parts, so the call sid is URI-encoded.)
 */
export function summarizeCallJobId({ customerId, callSid }: SummarizeCallPayload): string {
  return `${SUMMARIZE_CALL_JOB}:${customerId}:${encodeURIComponent(callSid)}`;
}

/** The tenant a job id belongs to, or null for ids of other shapes. */
export function customerIdOfJobId(jobId: string): number | null {
  const match = /^[a-z-]+:(\d+):/.exec(jobId);
  return match?.[1] ? Number(match[1]) : null;
}

/** The call sid a summarize job id names. */
export function callSidOfJobId(jobId: string): string | null {
  const parts = jobId.split(':');
  return parts.length === 3 && parts[0] === SUMMARIZE_CALL_JOB && parts[2] !== undefined ? decodeURIComponent(parts[2]) : null;
}

/**
 * Enqueues the summarization of one stored call. Adding an id that exists is a no-op in BullMQ;
 * a job that already failed is retried instead, and a completed one (whose call was erased and
 * posted again) is replaced, so a re-post is also the way to recover a call.
 */
export async function enqueueSummarizeCall(queue: Queue, payload: SummarizeCallPayload): Promise<string> {
  const jobId = summarizeCallJobId(payload);
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state === 'failed') {
      await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      return jobId;
    }
    if (state === 'completed') await existing.remove();
  }
  await queue.add(SUMMARIZE_CALL_JOB, payload, { jobId });
  return jobId;
}

export interface SummarizeCallJobDeps {
  db: Db;
  summarizer: CallSummarizer;
  logger: Logger;
}

/**
 * The worker side. Malformed payloads, malformed stored transcripts, invalid templates and
 * requests the model can never answer fail at once (UnrecoverableError); everything else
 * (database, timeouts, provider errors, output that failed validation) is retried with the
 * queue's exponential backoff.
 */
export function summarizeCallHandler(deps: SummarizeCallJobDeps): JobHandler {
  return async (job, signal) => {
    const payload = summarizeCallPayloadSchema.safeParse(job.data);
    if (!payload.success) {
      throw new UnrecoverableError(`Malformed ${SUMMARIZE_CALL_JOB} payload: ${payload.error.issues.map((issue) => `${issue.path.join('.') || '(root)'} ${issue.message}`).join('; ')}`);
    }
    const { customerId, callSid } = payload.data;
    const log = deps.logger.child({ jobId: job.id, customer_id: customerId, callSid, attempt: job.attemptsMade + 1 });
    try {
      const result = await summarizeCall({ db: deps.db, summarizer: deps.summarizer, customerId, callSid, signal });
      log.info({ outcome: result.outcome }, 'call summarization finished');
      return result;
    } catch (error) {
      if (
        error instanceof MalformedCallDataError ||
        error instanceof PermanentSummarizeError ||
        error instanceof InvalidTemplateError ||
        error instanceof UnknownTenantError ||
        error instanceof TenantContextError
      ) {
        log.error({ err: error }, 'call summarization failed permanently');
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
  };
}

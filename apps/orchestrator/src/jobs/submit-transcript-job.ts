import { UnrecoverableError } from 'bullmq';
import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import { ServiceResponseError } from '../clients/service-token';
import type { CallRuntime, TranscriptRetryScheduler } from '../domain/call-runtime/call-runtime';
import { submitTranscript } from '../domain/call-log/submit-transcript';
import { withTimeout } from '../lib/timeout';
import { DependencyError } from '../observability/report-failure';
import type { JobHandler } from './orchestrator-queue';

/**
 * submit-transcript: hands a saved call's transcript to memory when that failed at the end of the
 * call. The payload carries ids only; the handler re-reads the call log from PostgreSQL.
 */
export const SUBMIT_TRANSCRIPT_JOB = 'submit-transcript';

export const submitTranscriptPayloadSchema = z.object({
  customerId: z.number().int().positive(),
  callSid: z.string().min(1),
});
export type SubmitTranscriptPayload = z.infer<typeof submitTranscriptPayloadSchema>;

/** One job per tenant and call, ever: scheduling it twice is a no-op. (BullMQ ids may not contain ":".) */
export function submitTranscriptJobId({ customerId, callSid }: SubmitTranscriptPayload): string {
  return `${SUBMIT_TRANSCRIPT_JOB}-${customerId}-${callSid}`;
}

export function createTranscriptRetryScheduler(options: {
  queue: Queue;
  attempts: number;
  backoffMs: number;
  /** Redis may be the reason things fail: never wait on it for longer than this. */
  timeoutMs: number;
}): TranscriptRetryScheduler {
  return {
    async schedule(payload) {
      const data = submitTranscriptPayloadSchema.parse(payload);
      await withTimeout('schedule transcript retry', options.timeoutMs, () =>
        options.queue.add(SUBMIT_TRANSCRIPT_JOB, data, {
          jobId: submitTranscriptJobId(data),
          attempts: options.attempts,
          backoff: { type: 'exponential', delay: options.backoffMs },
          delay: options.backoffMs,
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        }),
      );
    },
  };
}

export function submitTranscriptHandler(runtime: CallRuntime): JobHandler {
  return async (job: Job) => {
    const payload = submitTranscriptPayloadSchema.safeParse(job.data);
    if (!payload.success) throw new UnrecoverableError(`malformed ${SUBMIT_TRANSCRIPT_JOB} payload: ${payload.error.message}`);
    const { customerId, callSid } = payload.data;
    try {
      const result = await submitTranscript({
        db: runtime.db,
        memory: runtime.memory,
        customerId,
        callSid,
        databaseTimeoutMs: runtime.settings.databaseTimeoutMs,
        memoryTimeoutMs: runtime.settings.memorySubmitTimeoutMs,
      });
      runtime.logger.info({ jobId: job.id, customer_id: customerId, callSid, result }, 'transcript retry finished');
      return { result };
    } catch (error) {
      const dependency = error instanceof DependencyError ? error.dependency : 'postgres';
      runtime.failures.dependencyFailed({ dependency, error, customerId, callSid, operation: 'submit transcript (retry)' });
      const cause = error instanceof DependencyError ? error.cause : error;
      if (cause instanceof ServiceResponseError && cause.permanent) {
        throw new UnrecoverableError(`memory refused the transcript: ${cause.message}`);
      }
      throw error;
    }
  };
}

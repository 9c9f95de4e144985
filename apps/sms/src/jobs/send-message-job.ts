import { UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import { z } from 'zod';
import { sendQueuedMessage } from '../domain/messages/send-queued-message';
import type { SendQueuedMessageDeps } from '../domain/messages/send-queued-message';

/**
 * The send job: hands one recorded outbound message to Twilio.
 *
 * - Payload: ids only ({customerId, messageId}); the handler re-reads the message, the number and
 *   the credentials, so a job never sends a stale snapshot.
 * - Job id `sms:<customerId>:<messageId>`: enqueueing the same message twice is a no-op in BullMQ.
 * - Transient failures (Twilio 429/5xx, timeouts, network) throw and retry with exponential
 *   backoff; the last attempt records the message as failed. Permanent failures are recorded as
 *   failed with Twilio's code and end the job with UnrecoverableError (no retry).
 * - Double sends are prevented by the message's state, not by the queue: only a message that is
 *   queued/sending with no twilio_sid is sent (see sendQueuedMessage for the one unavoidable window).
 */
export const SEND_MESSAGE_JOB = 'send-message';

export const sendMessagePayloadSchema = z.object({
  customerId: z.number().int().positive(),
  messageId: z.string().uuid(),
});
export type SendMessagePayload = z.infer<typeof sendMessagePayloadSchema>;

export function sendMessageJobId(payload: SendMessagePayload): string {
  return `sms:${payload.customerId}:${payload.messageId}`;
}

export interface SendRetryPolicy {
  /** Attempts in all (first try included). */
  attempts: number;
  /** First backoff delay; it doubles each retry (2 s, 4 s, ... ≈ 4 min over 8 attempts). */
  backoffDelayMs: number;
}

export const DEFAULT_SEND_RETRY_POLICY: SendRetryPolicy = { attempts: 8, backoffDelayMs: 2_000 };

export async function handleSendMessageJob(job: Job, deps: SendQueuedMessageDeps): Promise<string> {
  const parsed = sendMessagePayloadSchema.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(`send-message payload is invalid: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  const isLastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  const result = await sendQueuedMessage(deps, { ...parsed.data, isLastAttempt });
  if (result.outcome === 'failed') throw new UnrecoverableError(`${result.code}: ${result.message}`);
  return result.outcome;
}

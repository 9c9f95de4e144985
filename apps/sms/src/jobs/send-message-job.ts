import { defineJob, enqueue, jobId, PermanentJobError } from '@neurosphere/jobs';
import type { JobContext } from '@neurosphere/jobs';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { sendQueuedMessage } from '../domain/messages/send-queued-message';
import type { SendQueuedMessageDeps } from '../domain/messages/send-queued-message';
import { SMS_SEND_QUEUE_NAME } from './send-queue';

/** Job name. Never reuse it for another payload shape. */
export const SEND_MESSAGE_JOB = 'send-message';

/**
 * The send job: hands one recorded outbound message to Twilio.
 *
 * - Transient failures (Twilio 429/5xx, timeouts, network) throw and retry with the queue's
 *   exponential backoff; the last attempt records the message as failed. Permanent failures are
 *   recorded as failed with Twilio's code and end the job with PermanentJobError (no retry).
 * - Double sends are prevented by the message's state, not by the queue: only a message that is
 *   queued/sending with no twilio_sid is sent (see sendQueuedMessage for the one unavoidable window).
 */
export const sendMessageJob = defineJob({
  name: SEND_MESSAGE_JOB,
  queue: SMS_SEND_QUEUE_NAME,
  // Ids only: the handler re-reads the message, the number and the credentials, so a job never sends a stale snapshot.
  payload: z.object({
    customerId: z.number().int().positive(),
    messageId: z.string().uuid(),
  }),
  // One job per message: enqueueing the same message twice is a no-op. (The kind is "sms", not the
  // job name: ids of jobs queued before the job kit keep matching.)
  jobId: ({ customerId, messageId }) => jobId('sms', customerId, messageId),
  options: {
    // Finished jobs stay a while so a repeated enqueue of the same id stays a no-op; the
    // message's own state is what really prevents a second send.
    removeOnComplete: { age: 24 * 3600, count: 50_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  counters: { retry: 'sms_send_retry_total', failed: 'sms_send_failed_total' },
  handler: async ({ customerId, messageId }, { deps, isLastAttempt }: JobContext<SendQueuedMessageDeps>) => {
    const result = await sendQueuedMessage(deps, { customerId, messageId, isLastAttempt });
    if (result.outcome === 'failed') throw new PermanentJobError(`${result.code}: ${result.message}`);
    return result.outcome;
  },
});

export type SendMessagePayload = z.input<typeof sendMessageJob.payload>;

/** What the HTTP side needs from the queue. */
export interface SendQueue {
  /** Enqueues the send of a recorded message; enqueueing the same message again is a no-op. */
  enqueue(payload: SendMessagePayload): Promise<void>;
}

export function sendQueueOf(queue: Queue): SendQueue {
  return {
    async enqueue(payload) {
      await enqueue(queue, sendMessageJob, payload);
    },
  };
}

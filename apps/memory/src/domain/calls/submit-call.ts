import type { ConversationTurn } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { AppError } from '@neurosphere/http';
import type { Queue } from 'bullmq';
import { enqueueSummarizeCall, summarizeCallJob } from '../../jobs/summarize-call-job';
import { assertThreadIdMatches } from '../callers/thread-id';
import { redactTranscript } from '../transcripts/redact-sensitive';

export interface SubmitCallOptions {
  db: Db;
  queue: Queue;
  customerId: number;
  /** The caller, E.164. */
  userId: string;
  threadId: string;
  callSid: string;
  conversationHistory: ConversationTurn[];
}

export interface SubmitCallResult {
  jobId: string;
  /** queued: first post; already_queued: posted before, summary pending; completed: already summarized. */
  status: 'queued' | 'already_queued' | 'completed';
}

/**
 * Stores a finished call's transcript (a `pending` call_summaries row, unique per tenant and call
 * sid; card numbers and government id numbers replaced by markers, see redactSensitive) and only
 * then enqueues its summarization, so a queue outage loses nothing: the post fails
 * with 503 and the caller posts again. A repeated post keeps the first transcript and never
 * queues a second job.
 */
export async function submitCall(options: SubmitCallOptions): Promise<SubmitCallResult> {
  const { db, queue, customerId, userId, threadId, callSid } = options;
  assertThreadIdMatches({ threadId, customerId, userId });

  const stored = await withTenant(db, customerId, async (tx) => {
    const { count } = await tx.callSummary.createMany({
      data: [
        {
          customerId,
          callSid,
          threadId,
          userId,
          summary: '',
          // Redacted before it is stored: card numbers and government ids never reach the database.
          rawTranscript: redactTranscript(options.conversationHistory),
          status: 'pending',
        },
      ],
      skipDuplicates: true,
    });
    if (count === 1) return 'new' as const;
    const existing = await tx.callSummary.findUnique({
      where: { customerId_callSid: { customerId, callSid } },
      select: { userId: true, status: true },
    });
    if (!existing) return 'new' as const;
    if (existing.userId !== userId) {
      throw new AppError('CONFLICT', `call_sid ${callSid} was already posted for another caller`);
    }
    return existing.status;
  });

  const payload = { customerId, callSid };
  if (stored === 'completed') return { jobId: summarizeCallJob.jobId(payload), status: 'completed' };
  let jobId: string;
  try {
    jobId = await enqueueSummarizeCall(queue, payload);
  } catch (error) {
    throw new AppError('UNAVAILABLE', 'The transcript is stored but the summarization queue is unavailable; post the call again', {
      cause: error,
    });
  }
  return { jobId, status: stored === 'new' ? 'queued' : 'already_queued' };
}

import { parseJobId } from '@neurosphere/jobs';
import type { JobType, Queue } from 'bullmq';
import { SUMMARIZE_CALL_JOB } from '../../jobs/summarize-call-job';

export interface GetQueueStatusOptions {
  queue: Queue;
  customerId: number;
  /** How many recent failures to return. */
  limit: number;
}

const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
type CountedState = (typeof STATES)[number];

/**
 * One tenant's view of the memory queue: its jobs by state and its most recent failures. Job ids
 * carry the tenant (`jobId` builds `<kind>:<customerId>:<key>`), so counting is a scan of job ids
 * (not payloads) per state, bounded by the queue's retention (KEEP_COMPLETED / KEEP_FAILED).
 * Other tenants' jobs are never counted or returned.
 */
export async function getQueueStatus({ queue, customerId, limit }: GetQueueStatusOptions) {
  const counts: Record<CountedState, number> = { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 };
  const failedIds: string[] = [];
  for (const state of STATES) {
    // BullMQ keeps prioritized jobs apart from waiting ones; for a tenant both are "waiting".
    const types: JobType[] = state === 'waiting' ? ['waiting', 'prioritized'] : [state];
    const ids = await queue.getRanges(types, 0, -1, false);
    for (const id of ids) {
      if (parseJobId(id)?.customerId !== customerId) continue;
      counts[state] += 1;
      if (state === 'failed') failedIds.push(id);
    }
  }
  // getRanges(..., asc=false) lists the newest failures first.
  const recentFailures = [];
  for (const id of failedIds.slice(0, limit)) {
    const job = await queue.getJob(id);
    if (!job) continue;
    recentFailures.push({
      job_id: id,
      name: job.name,
      call_sid: callSidOf(id),
      failed_reason: job.failedReason ?? 'unknown',
      attempts_made: job.attemptsMade,
      failed_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    });
  }
  return { queue: queue.name, counts, recentFailures };
}

/** The call a summarization job id names (null for other jobs). */
function callSidOf(id: string): string | null {
  const parsed = parseJobId(id);
  return parsed?.kind === SUMMARIZE_CALL_JOB ? (parsed.key[0] ?? null) : null;
}

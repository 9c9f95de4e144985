import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { maskPhone } from '@neurosphere/http';
import type { Queue } from 'bullmq';
import { summarizeCallJob } from '../../jobs/summarize-call-job';

export interface EraseCallerOptions {
  db: Db;
  /** To drop the queued summarization jobs of the erased calls. */
  queue: Queue;
  customerId: number;
  /** The caller, E.164. */
  userId: string;
  /** Who asked (the calling service), for the tenant's audit log. */
  actor: string;
}

export interface EraseCallerResult {
  deleted: {
    memories: number;
    call_summaries: number;
    caller_profiles: number;
    personality_metrics: number;
    personality_averages: number;
  };
  jobsRemoved: number;
}

/**
 * Privacy erasure of one caller at one tenant: memories, call summaries (with transcripts, also
 * those still waiting to be summarized), profile and personality data, in one withTenant
 * transaction, plus an audit_log row with the counts (and a masked number, so the audit trail
 * does not keep what was erased). The same phone number at other tenants is untouched: every
 * statement names customer_id and RLS confines the transaction to this tenant.
 *
 * call_summaries goes first: it waits for a summarization that is writing this caller's data
 * (the worker locks its call_summaries row first), and the later statements then see and delete
 * what it wrote; a summarization that starts after finds its transcript gone and writes nothing.
 */
export async function eraseCaller(options: EraseCallerOptions): Promise<EraseCallerResult> {
  const { db, queue, customerId, userId } = options;
  const { deleted, pendingCallSids } = await withTenant(
    db,
    customerId,
    async (tx) => {
      const summaries = await tx.$queryRaw<Array<{ call_sid: string; status: string }>>`
        DELETE FROM call_summaries WHERE customer_id = ${customerId} AND user_id = ${userId}
        RETURNING call_sid, status::text AS status`;
      const where = { customerId, userId };
      const memories = await tx.memory.deleteMany({ where });
      const metrics = await tx.personalityMetric.deleteMany({ where });
      const averages = await tx.personalityAverage.deleteMany({ where });
      const profiles = await tx.callerProfile.deleteMany({ where });
      const counts = {
        memories: memories.count,
        call_summaries: summaries.length,
        caller_profiles: profiles.count,
        personality_metrics: metrics.count,
        personality_averages: averages.count,
      };
      await tx.auditLog.create({
        data: { customerId, actor: options.actor, action: 'caller.erase', target: maskPhone(userId), details: counts },
      });
      return {
        deleted: counts,
        pendingCallSids: summaries.filter((summary) => summary.status === 'pending').map((summary) => summary.call_sid),
      };
    },
    { timeout: 30_000 },
  );

  // After the commit: a job that is running now finds nothing to summarize; waiting ones are dropped.
  let jobsRemoved = 0;
  for (const callSid of pendingCallSids) {
    const job = await queue.getJob(summarizeCallJob.jobId({ customerId, callSid }));
    if (!job || (await job.isActive())) continue;
    try {
      await job.remove();
      jobsRemoved += 1;
    } catch {
      // Picked up by a worker meanwhile: it will find the transcript gone.
    }
  }
  return { deleted, jobsRemoved };
}

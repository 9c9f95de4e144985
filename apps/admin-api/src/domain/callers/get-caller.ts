import { AppError } from '@neurosphere/http';
import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { toCallerListItem } from './caller-view';

export interface GetCallerOptions {
  db: Db;
  customerId: number;
  callerId: string;
  /** How many of the newest call summaries to include. */
  summaryLimit?: number;
}

/** One caller profile of the tenant with their most recent call summaries. */
export async function getCaller(options: GetCallerOptions) {
  const { customerId, callerId } = options;
  const found = await withTenant(options.db, customerId, async (tx) => {
    const profile = await tx.callerProfile.findUnique({ where: { customerId_id: { customerId, id: callerId } } });
    if (!profile) return null;
    const summaries = await tx.callSummary.findMany({
      where: { customerId, userId: profile.userId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: options.summaryLimit ?? 5,
    });
    return { profile, summaries };
  });
  if (!found) throw new AppError('NOT_FOUND', `Caller ${callerId} not found`);
  const { profile, summaries } = found;
  return {
    ...toCallerListItem(profile),
    variables: isRecord(profile.variables) ? profile.variables : {},
    recent_summaries: summaries.map((summary) => ({
      call_sid: summary.callSid,
      summary: summary.summary,
      key_topics: Array.isArray(summary.keyTopics) ? summary.keyTopics.filter((topic) => typeof topic === 'string') : [],
      created_at: summary.createdAt.toISOString(),
    })),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

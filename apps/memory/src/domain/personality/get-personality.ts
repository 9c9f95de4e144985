import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { asNumberRecord, toIso } from '../shared/serialize';

export interface GetPersonalityOptions {
  db: Db;
  customerId: number;
  /** The caller, E.164. */
  userId: string;
  /** How many per-call scores to return, newest first. */
  limit: number;
}

/** The caller's running personality averages and the most recent per-call scores, for this tenant. */
export async function getPersonality({ db, customerId, userId, limit }: GetPersonalityOptions) {
  const [average, metrics] = await withTenant(db, customerId, (tx) =>
    Promise.all([
      tx.personalityAverage.findUnique({ where: { customerId_userId: { customerId, userId } } }),
      tx.personalityMetric.findMany({
        where: { customerId, userId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
      }),
    ]),
  );
  return {
    averages: average && average.sampleCount > 0 ? asNumberRecord(average.averages) : null,
    sampleCount: average?.sampleCount ?? 0,
    recent: metrics.map((metric) => ({
      call_sid: metric.callSid,
      scores: asNumberRecord(metric.scores),
      created_at: toIso(metric.createdAt),
    })),
  };
}

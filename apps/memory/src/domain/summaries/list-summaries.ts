import { withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import { callSummaryRecordSchema } from '@neurosphere/contracts';
import { asRecord, asStringArray, toIso } from '../shared/serialize';

/** The stored column as the API shows it (anything malformed reads as no changes). */
const storedProfileChanges = callSummaryRecordSchema.shape.profile_changes.unwrap().catch([]);

export interface ListSummariesOptions {
  db: Db;
  customerId: number;
  /** The caller, E.164. */
  userId: string;
  limit: number;
}

/** The caller's summarized calls, newest first (calls still being summarized are not listed). */
export async function listSummaries({ db, customerId, userId, limit }: ListSummariesOptions) {
  const rows = await withTenant(db, customerId, (tx) =>
    tx.callSummary.findMany({
      where: { customerId, userId, status: 'completed' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { callSid: true, threadId: true, summary: true, keyTopics: true, variables: true, profileChanges: true, createdAt: true },
    }),
  );
  return rows.map((row) => ({
    call_sid: row.callSid,
    thread_id: row.threadId,
    summary: row.summary,
    key_topics: asStringArray(row.keyTopics),
    variables: asRecord(row.variables),
    profile_changes: storedProfileChanges.parse(row.profileChanges),
    created_at: toIso(row.createdAt),
  }));
}

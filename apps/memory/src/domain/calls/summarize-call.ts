import { conversationTurnSchema } from '@neurosphere/contracts';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import { withTenant } from '@neurosphere/db';
import type { Db, Prisma, TenantTx } from '@neurosphere/db';
import { z } from 'zod';
import { updateAverages } from '../personality/update-averages';
import { asNumberRecord, asRecord } from '../shared/serialize';
import type { CallInsights } from '../templates/build-extraction-schema';
import { loadPinnedTemplate } from '../templates/pinned-template';
import { renderQuickBio } from '../templates/render-quick-bio';
import type { CallSummarizer } from './call-summarizer';
import { guardStoredFacts, redactValue } from './guard-stored-facts';

/** Stored data this job can never process (retrying changes nothing). */
export class MalformedCallDataError extends Error {
  override readonly name = 'MalformedCallDataError';
}

export interface SummarizeCallOptions {
  db: Db;
  summarizer: CallSummarizer;
  customerId: number;
  callSid: string;
  signal?: AbortSignal;
}

export type SummarizeCallResult =
  | { outcome: 'summarized'; userId: string; memoriesAdded: number }
  /** Already done by an earlier attempt or another worker: nothing written. */
  | { outcome: 'already_summarized' }
  /** The transcript is gone (the caller was erased): nothing written. */
  | { outcome: 'transcript_missing' };

const storedTranscriptSchema = z.array(conversationTurnSchema).min(1);

/** How long the write transaction may take (it locks a handful of rows of one caller). */
const WRITE_TIMEOUT_MS = 15_000;

/**
 * Summarizes one posted call: re-reads the stored transcript and the tenant's pinned template,
 * asks the LLM for structured insights (outside any transaction), then in ONE withTenant
 * transaction completes the call summary, adds the extracted facts as memories (as the caller's
 * word, without instruction-like text or card and social security numbers: guard-stored-facts), appends the
 * personality scores, folds them into the caller's averages and merges the variables into the
 * caller profile with a re-rendered Quick Bio.
 *
 * Idempotent: the write starts by locking the call's summary row and does nothing unless it is
 * still `pending`, so a retry, a duplicate job or a second worker that finished the LLM call late
 * adds nothing. Lock order (call_summaries → personality_averages → caller_profiles) matches the
 * caller erasure, so the two never deadlock and an erasure never leaves half a summary behind.
 */
export async function summarizeCall(options: SummarizeCallOptions): Promise<SummarizeCallResult> {
  const { db, summarizer, customerId, callSid } = options;

  const pending = await withTenant(db, customerId, async (tx) => {
    const row = await tx.callSummary.findUnique({
      where: { customerId_callSid: { customerId, callSid } },
      select: { userId: true, rawTranscript: true, status: true, createdAt: true },
    });
    if (!row || row.status === 'completed') return row ? ('completed' as const) : null;
    const template = await loadPinnedTemplate(tx, customerId);
    return { ...row, template: template.definition };
  });
  if (pending === null) return { outcome: 'transcript_missing' };
  if (pending === 'completed') return { outcome: 'already_summarized' };

  const transcript = storedTranscriptSchema.safeParse(pending.rawTranscript);
  if (!transcript.success) {
    throw new MalformedCallDataError(`Stored transcript of call ${callSid} is malformed: ${transcript.error.issues[0]?.message ?? 'invalid'}`);
  }

  // Nothing the model wrote is stored with a card number or a social security number in it.
  const insights = redactValue(await summarizer.summarize({ template: pending.template, transcript: transcript.data, signal: options.signal }));
  const callAt = firstTurnTime(transcript.data) ?? pending.createdAt;

  return withTenant(
    db,
    customerId,
    async (tx): Promise<SummarizeCallResult> => {
      const [locked] = await tx.$queryRaw<Array<{ user_id: string; status: string }>>`
        SELECT user_id, status::text AS status FROM call_summaries
         WHERE customer_id = ${customerId} AND call_sid = ${callSid}
         FOR UPDATE`;
      if (!locked) return { outcome: 'transcript_missing' };
      if (locked.status === 'completed') return { outcome: 'already_summarized' };
      const userId = locked.user_id;
      const variables = presentValues(insights.variables);

      await tx.callSummary.update({
        where: { customerId_callSid: { customerId, callSid } },
        data: {
          summary: insights.summary,
          keyTopics: insights.key_topics,
          variables: variables as Prisma.InputJsonObject,
          status: 'completed',
        },
      });
      const facts = guardStoredFacts(insights.facts);
      if (facts.length > 0) {
        await tx.memory.createMany({
          data: facts.map((content) => ({
            customerId,
            userId,
            content,
            kind: 'fact',
            sourceCallSid: callSid,
            metadata: { source: 'call_summary' },
          })),
        });
      }
      await tx.personalityMetric.create({ data: { customerId, callSid, userId, scores: insights.personality } });
      await foldPersonality(tx, { customerId, userId, scores: insights.personality });
      await mergeProfile(tx, { customerId, userId, template: pending.template, insights, variables, callAt });
      return { outcome: 'summarized', userId, memoriesAdded: facts.length };
    },
    { timeout: WRITE_TIMEOUT_MS },
  );
}

async function foldPersonality(
  tx: TenantTx,
  { customerId, userId, scores }: { customerId: number; userId: string; scores: Record<string, number> },
): Promise<void> {
  // Create-if-missing, then lock: two calls of one caller summarized at once serialize here.
  await tx.personalityAverage.createMany({
    data: [{ customerId, userId, averages: {}, sampleCount: 0 }],
    skipDuplicates: true,
  });
  const [current] = await tx.$queryRaw<Array<{ averages: unknown; sample_count: number }>>`
    SELECT averages, sample_count FROM personality_averages
     WHERE customer_id = ${customerId} AND user_id = ${userId}
     FOR UPDATE`;
  const next = updateAverages({
    previous: asNumberRecord(current?.averages),
    sampleCount: current?.sample_count ?? 0,
    scores,
  });
  await tx.personalityAverage.update({
    where: { customerId_userId: { customerId, userId } },
    data: { averages: next.averages, sampleCount: next.sampleCount },
  });
}

async function mergeProfile(
  tx: TenantTx,
  options: {
    customerId: number;
    userId: string;
    template: IndustryTemplateDefinition;
    insights: CallInsights;
    variables: Record<string, unknown>;
    callAt: Date;
  },
): Promise<void> {
  const { customerId, userId, template, insights, callAt } = options;
  await tx.callerProfile.createMany({ data: [{ customerId, userId }], skipDuplicates: true });
  const [current] = await tx.$queryRaw<
    Array<{ name: string | null; variables: unknown; first_call_at: Date | null; last_call_at: Date | null }>
  >`
    SELECT name, variables, first_call_at, last_call_at FROM caller_profiles
     WHERE customer_id = ${customerId} AND user_id = ${userId}
     FOR UPDATE`;
  const name = insights.caller_name?.trim() || current?.name || null;
  const variables = mergeVariables(asRecord(current?.variables), options.variables);
  const firstCallAt = current?.first_call_at && current.first_call_at < callAt ? current.first_call_at : callAt;
  const lastCallAt = current?.last_call_at && current.last_call_at > callAt ? current.last_call_at : callAt;
  await tx.callerProfile.update({
    where: { customerId_userId: { customerId, userId } },
    data: {
      name,
      variables: variables as Prisma.InputJsonObject,
      quickBio: renderQuickBio(template, { name, variables }),
      firstCallAt,
      lastCallAt,
      callCount: { increment: 1 },
    },
  });
}

/** The insight values the call actually mentioned (null = not said, which must not erase a known value). */
function presentValues(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)),
  );
}

/**
 * Newer scalars replace older ones; lists accumulate (a caller who mentioned one child and later
 * another has two), without case-insensitive duplicates.
 */
export function mergeVariables(previous: Record<string, unknown>, learned: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...previous };
  for (const [key, value] of Object.entries(learned)) {
    const before = merged[key];
    if (Array.isArray(value) && Array.isArray(before)) {
      const seen = new Set(before.map((item) => String(item).toLowerCase()));
      merged[key] = [...before, ...value.filter((item) => !seen.has(String(item).toLowerCase()))];
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

function firstTurnTime(transcript: Array<{ at?: string | undefined }>): Date | null {
  const first = transcript.find((turn) => turn.at !== undefined)?.at;
  return first ? new Date(first) : null;
}

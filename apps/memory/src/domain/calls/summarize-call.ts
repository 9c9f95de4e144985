import { conversationTurnSchema } from '@neurosphere/contracts';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import { decryptCredentialSecret, SecretBoxError, withTenant } from '@neurosphere/db';
import type { Db, Keyring, Prisma, TenantTx } from '@neurosphere/db';
import { z } from 'zod';
import { updateAverages } from '../personality/update-averages';
import { asNumberRecord, asRecord } from '../shared/serialize';
import type { CallInsights } from '../templates/build-extraction-schema';
import { loadPinnedTemplate } from '../templates/pinned-template';
import { renderQuickBio } from '../templates/render-quick-bio';
import { PermanentSummarizeError } from './call-summarizer';
import type { CallSummarizer } from './call-summarizer';

/** Stored data this job can never process (retrying changes nothing). */
export class MalformedCallDataError extends Error {
  override readonly name = 'MalformedCallDataError';
}

export interface SummarizeCallOptions {
  db: Db;
  summarizer: CallSummarizer;
  /** BYOK_KEYS: decrypts the tenant's own OpenAI key, with which its calls are then summarized. */
  keyring: Keyring | undefined;
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
 * transaction completes the call summary, adds the extracted facts as memories, appends the
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
    const ownKey = await tx.tenantCredential.findUnique({ where: { customerId_provider: { customerId, provider: 'openai' } } });
    return { ...row, template: template.definition, ownKey };
  });
  if (pending === null) return { outcome: 'transcript_missing' };
  if (pending === 'completed') return { outcome: 'already_summarized' };

  const transcript = storedTranscriptSchema.safeParse(pending.rawTranscript);
  if (!transcript.success) {
    throw new MalformedCallDataError(`Stored transcript of call ${callSid} is malformed: ${transcript.error.issues[0]?.message ?? 'invalid'}`);
  }

  const apiKey = pending.ownKey ? tenantOpenAiKey(options, pending.ownKey) : undefined;
  const { insights, usage } = await summarizer.summarize({ template: pending.template, transcript: transcript.data, apiKey, signal: options.signal });
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
      const facts = [...new Set(insights.facts.map((fact) => fact.trim()).filter((fact) => fact.length > 0))];
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
      if (usage) {
        // Metered with the summary it paid for: once per call, whichever attempt wrote it.
        await tx.usageRecord.createMany({
          data: [{ customerId, kind: 'summary_tokens', quantity: usage.totalTokens, callSid, idempotencyKey: `summary:${callSid}` }],
          skipDuplicates: true,
        });
      }
      return { outcome: 'summarized', userId, memoriesAdded: facts.length };
    },
    { timeout: WRITE_TIMEOUT_MS },
  );
}

/**
 * The tenant's own OpenAI key: its calls are summarized on its account. A key this worker cannot
 * decrypt fails the job for good (retrying cannot fix configuration, and billing the platform
 * instead is not ours to decide); the message never contains the key.
 */
function tenantOpenAiKey(options: SummarizeCallOptions, credential: Parameters<typeof decryptCredentialSecret>[0]['credential']): string {
  const { customerId } = options;
  if (!options.keyring) throw new PermanentSummarizeError(`customer ${customerId} has its own OpenAI key but BYOK_KEYS is not configured on the memory worker`);
  try {
    return decryptCredentialSecret({ customerId, provider: 'openai', credential, keyring: options.keyring });
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw new PermanentSummarizeError(`customer ${customerId}'s OpenAI key does not decrypt: ${error.message}`);
  }
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

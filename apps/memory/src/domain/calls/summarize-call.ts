import { conversationTurnSchema } from '@neurosphere/contracts';
import type { IndustryTemplateDefinition } from '@neurosphere/contracts';
import { decryptCredentialSecret, SecretBoxError, withTenant } from '@neurosphere/db';
import type { Db, Keyring, Prisma, TenantTx } from '@neurosphere/db';
import type { Logger } from '@neurosphere/http';
import { z } from 'zod';
import { updateAverages } from '../personality/update-averages';
import { applyProfileChanges } from '../profiles/apply-profile-changes';
import type { AppliedProfileChange } from '../profiles/apply-profile-changes';
import { asNumberRecord, asRecord } from '../shared/serialize';
import type { CallInsights, ProfileChange } from '../templates/build-extraction-schema';
import { loadPinnedTemplate } from '../templates/pinned-template';
import { renderQuickBio } from '../templates/render-quick-bio';
import { PermanentSummarizeError } from './call-summarizer';
import { assessCall } from '../transcripts/assess-call';
import type { CallAssessment } from '../transcripts/assess-call';
import { redactTranscript } from '../transcripts/redact-sensitive';
import type { CallSummarizer, SummarizeResult } from './call-summarizer';
import { screenInsights } from './screen-insights';

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
  /** Notes what screening removed and how the transcript was fitted (counts only, never text). */
  logger?: Pick<Logger, 'info'>;
}

export type SummarizeCallResult =
  | { outcome: 'summarized'; userId: string; memoriesAdded: number }
  /** Already done by an earlier attempt or another worker: nothing written. */
  | { outcome: 'already_summarized' }
  /** The transcript is gone (the caller was erased): nothing written. */
  | { outcome: 'transcript_missing' };

/** Usage meter of summarization (usage_records.kind), one record per call. */
export const SUMMARY_TOKENS_METER = 'summary_tokens';

const storedTranscriptSchema = z.array(conversationTurnSchema).min(1);

/** How long the write transaction may take (it locks a handful of rows of one caller). */
const WRITE_TIMEOUT_MS = 15_000;

/**
 * Summarizes one posted call: re-reads the stored transcript, the tenant's pinned template and
 * the caller's current profile; decides from the transcript alone whether there is anything to
 * ask a model (a silent call or a voicemail greeting is summarized without one) and whether the
 * call is long enough for personality scores; asks the model (outside any transaction) for the
 * changes the call makes to the profile; screens the answer (card numbers and government ids
 * removed, instruction-like text dropped, facts attributed to the caller); then in ONE withTenant
 * transaction applies the changes to the profile (re-rendering the Quick Bio), adds the facts as
 * memories, appends the personality scores when there are any, folds them into the averages,
 * completes the call summary with the changes applied and meters the tokens.
 *
 * Idempotent: the write starts by locking the call's summary row and does nothing unless it is
 * still `pending`, so a retry, a duplicate job or a second worker that finished the model call
 * late adds nothing (the usage record has a per-call idempotency key too). Lock order
 * (call_summaries → personality_averages → caller_profiles) matches the caller erasure, so the two
 * never deadlock and an erasure never leaves half a summary behind.
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
    const profile = await tx.callerProfile.findUnique({
      where: { customerId_userId: { customerId, userId: row.userId } },
      select: { name: true, variables: true },
    });
    return {
      ...row,
      template: template.definition,
      ownKey,
      profile: { name: profile?.name ?? null, variables: asRecord(profile?.variables) },
    };
  });
  if (pending === null) return { outcome: 'transcript_missing' };
  if (pending === 'completed') return { outcome: 'already_summarized' };

  const stored = storedTranscriptSchema.safeParse(pending.rawTranscript);
  if (!stored.success) {
    throw new MalformedCallDataError(`Stored transcript of call ${callSid} is malformed: ${stored.error.issues[0]?.message ?? 'invalid'}`);
  }
  // Transcripts are redacted when posted; again here for rows stored before that, so no model sees them.
  const transcript = redactTranscript(stored.data);
  // redactTranscript returns a turn as it was when nothing in it is redacted.
  const redactedNow = transcript.some((turn, index) => turn !== stored.data[index]);
  const assessment = assessCall(transcript);

  let modelResult: SummarizeResult | null = null;
  if (!assessment.silent && !assessment.voicemail) {
    modelResult = await summarizer.summarize({
      template: pending.template,
      transcript,
      profile: pending.profile,
      scorePersonality: assessment.scorePersonality,
      apiKey: pending.ownKey ? tenantOpenAiKey(options, pending.ownKey) : undefined,
      signal: options.signal,
    });
  }
  const { insights, removed } = screenInsights(modelResult?.insights ?? insightsWithoutModel(assessment));
  const personality = assessment.scorePersonality ? insights.personality : null;
  const usage = modelResult?.usage ?? null;
  options.logger?.info(
    { callSid, assessment, removed, transcriptFit: modelResult?.transcript ?? null, personalityScored: personality !== null },
    'call screened',
  );
  const callAt = firstTurnTime(transcript) ?? pending.createdAt;

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

      if (insights.facts.length > 0) {
        await tx.memory.createMany({
          data: insights.facts.map((content) => ({
            customerId,
            userId,
            content,
            kind: 'fact',
            sourceCallSid: callSid,
            metadata: { source: 'call_summary' },
          })),
        });
      }
      if (personality !== null) {
        await tx.personalityMetric.create({ data: { customerId, callSid, userId, scores: personality } });
        await foldPersonality(tx, { customerId, userId, scores: personality });
      }
      const applied = await mergeProfile(tx, {
        customerId,
        userId,
        template: pending.template,
        callerName: insights.caller_name,
        changes: insights.changes,
        callAt,
      });
      await tx.callSummary.update({
        where: { customerId_callSid: { customerId, callSid } },
        data: {
          summary: insights.summary,
          keyTopics: insights.key_topics,
          // The values this call set, as before; profile_changes has the full story with reasons.
          variables: Object.fromEntries(
            applied.filter((change) => change.action === 'set').map((change) => [change.field, change.value]),
          ) as Prisma.InputJsonObject,
          profileChanges: applied as unknown as Prisma.InputJsonArray,
          // Only a row stored before submitCall redacted is rewritten: the others hold this transcript already.
          ...(redactedNow ? { rawTranscript: transcript } : {}),
          status: 'completed',
        },
      });
      if (usage !== null) {
        // Metered with the summary it paid for: once per call, whichever attempt wrote it.
        await tx.usageRecord.createMany({
          data: [{ customerId, kind: SUMMARY_TOKENS_METER, quantity: usage.totalTokens, callSid, idempotencyKey: `summary:${callSid}` }],
          skipDuplicates: true,
        });
      }
      return { outcome: 'summarized', userId, memoriesAdded: insights.facts.length };
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
  if (!options.keyring)
    throw new PermanentSummarizeError(`customer ${customerId} has its own OpenAI key but BYOK_KEYS is not configured on the memory worker`);
  try {
    return decryptCredentialSecret({ customerId, provider: 'openai', credential, keyring: options.keyring });
  } catch (error) {
    if (!(error instanceof SecretBoxError)) throw error;
    throw new PermanentSummarizeError(`customer ${customerId}'s OpenAI key does not decrypt: ${error.message}`);
  }
}

/** What is recorded for a call no model needs to read: nothing was said, or a machine answered. */
function insightsWithoutModel(assessment: CallAssessment): CallInsights {
  const voicemail = assessment.voicemail;
  return {
    summary: voicemail ? 'The call reached a voicemail greeting; no one spoke with the agent.' : 'The caller did not say anything.',
    key_topics: [voicemail ? 'voicemail' : 'no speech'],
    caller_name: null,
    facts: [],
    changes: [],
    personality: null,
  };
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

/**
 * Applies the changes to the profile as it is now (locked), which is also right when another call
 * of the same caller was summarized since the model read it: only the fields this call changes
 * move. Returns the changes that altered something.
 */
async function mergeProfile(
  tx: TenantTx,
  options: {
    customerId: number;
    userId: string;
    template: IndustryTemplateDefinition;
    callerName: string | null;
    changes: ProfileChange[];
    callAt: Date;
  },
): Promise<AppliedProfileChange[]> {
  const { customerId, userId, template, callAt } = options;
  await tx.callerProfile.createMany({ data: [{ customerId, userId }], skipDuplicates: true });
  const [current] = await tx.$queryRaw<
    Array<{ name: string | null; variables: unknown; first_call_at: Date | null; last_call_at: Date | null }>
  >`
    SELECT name, variables, first_call_at, last_call_at FROM caller_profiles
     WHERE customer_id = ${customerId} AND user_id = ${userId}
     FOR UPDATE`;
  const name = options.callerName || current?.name || null;
  const { variables, applied } = applyProfileChanges(asRecord(current?.variables), options.changes);
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
  return applied;
}

function firstTurnTime(transcript: Array<{ at?: string | undefined }>): Date | null {
  const first = transcript.find((turn) => turn.at !== undefined)?.at;
  return first ? new Date(first) : null;
}

import type { EnrichedContext } from '@neurosphere/contracts';
import { assertCustomerId, withTenant } from '@neurosphere/db';
import type { Db } from '@neurosphere/db';
import type { Pool } from 'pg';
import { AppError } from '@neurosphere/http';
import { asNumberRecord, asRecord, asStringArray, toIso } from '../shared/serialize';
import { cachedTemplateDefinition, loadTemplateDefinition } from '../templates/pinned-template';
import { renderPromptContext } from './render-prompt-context';

// How much history the agent gets (the LIMITs in memory_build_caller_context): the 5 most recent
// call summaries and the 10 most recent memories — enough to recognize the caller, small enough
// for the prompt.

const EMPTY_CALLER: CallerContextValue = { profile: null, summaries: [], memories: [], personality: null };

export interface GetEnrichedContextOptions {
  /**
   * node-postgres pool as the app role, for the one hot statement: Prisma's raw-query path costs
   * several times pg's CPU for this single call, which is most of the request.
   */
  pool: Pick<Pool, 'query'>;
  /** Prisma client as the app role, for the rare template read (withTenant). */
  db: Db;
  customerId: number;
  /** The caller, E.164. */
  userId: string;
}

/** One caller's row of the read model (caller_contexts.context). */
interface CallerContextValue {
  profile: { name: string | null; variables: unknown; quick_bio: string | null } | null;
  summaries: Array<{ call_sid: string; summary: string; key_topics: unknown; created_at: string }>;
  memories: Array<{ id: string; content: string; kind: string; created_at: string }>;
  personality: { averages: unknown; sample_count: number } | null;
}

interface ContextRow {
  industry: string;
  template_version: number;
  /** Null for a caller this tenant knows nothing about. */
  caller: CallerContextValue | null;
}

/**
 * Everything the agent should know about one caller of one tenant. This is the call-start hot
 * path, so it is ONE statement (one round trip): the SQL function memory_enriched_context
 * (migrations 20261129300100 and 20261129400000) sets app.customer_id transaction-locally, exactly
 * as withTenant does, and then reads the tenant's template pin and, by its key, the caller's row
 * of the read model caller_contexts (profile, recent summaries, recent memories, personality
 * averages; rebuilt by triggers on those tables as each writing transaction commits), under
 * row-level security. Called outside any transaction, the tenant setting dies with the statement.
 * The tenant's pinned template only labels the facts; published versions never change, so they
 * are cached in-process (read with withTenant on a miss).
 * An unknown caller gets an empty, valid context.
 */
export async function getEnrichedContext({ pool, db, customerId, userId }: GetEnrichedContextOptions): Promise<EnrichedContext> {
  assertCustomerId(customerId);
  // Unnamed statement (PgBouncer transaction mode safe); the function's own plans are cached per connection.
  const { rows } = await pool.query<{ context: ContextRow | null }>('SELECT memory_enriched_context($1::int, $2::text) AS context', [
    customerId,
    userId,
  ]);
  const row = rows[0]?.context;
  if (!row) throw new AppError('NOT_FOUND', `Customer ${customerId} not found`);
  const template =
    cachedTemplateDefinition(row.industry, row.template_version) ??
    (await withTenant(db, customerId, (tx) => loadTemplateDefinition(tx, row.industry, row.template_version)));

  const caller = row.caller ?? EMPTY_CALLER;
  const knownFacts = asRecord(caller.profile?.variables);
  const recentSummaries = caller.summaries.map((summary) => ({
    call_sid: summary.call_sid,
    summary: summary.summary,
    key_topics: asStringArray(summary.key_topics),
    created_at: toIso(summary.created_at),
  }));
  const recentMemories = caller.memories.map((memory) => ({
    id: memory.id,
    content: memory.content,
    kind: memory.kind,
    created_at: toIso(memory.created_at),
  }));
  const personality = caller.personality
    ? { averages: asNumberRecord(caller.personality.averages), sample_count: caller.personality.sample_count }
    : null;
  const quickBio = caller.profile?.quick_bio ?? null;
  const knownCaller = caller.profile !== null || recentSummaries.length > 0 || recentMemories.length > 0 || personality !== null;

  return {
    success: true,
    customer_id: customerId,
    user_id: userId,
    known_caller: knownCaller,
    quick_bio: quickBio,
    recent_summaries: recentSummaries,
    known_facts: knownFacts,
    caller_name: caller.profile?.name ?? null,
    personality,
    recent_memories: recentMemories,
    prompt_context: renderPromptContext({
      template,
      quickBio,
      name: caller.profile?.name ?? null,
      knownFacts,
      recentSummaries: recentSummaries.map((summary) => ({ summary: summary.summary, createdAt: summary.created_at })),
      recentMemories,
      personality: personality ? { averages: personality.averages, sampleCount: personality.sample_count } : null,
    }),
  };
}

import { normalizePhone } from '@neurosphere/contracts';
import { withPlatform } from '@neurosphere/db';
import type { Db, Prisma, TenantTx } from '@neurosphere/db';
import type { ClientBase } from 'pg';
import { threadIdFor } from '../callers/thread-id';
import { legacyRowId } from './legacy-id';
import { LEGACY_TABLES } from './legacy-schema';
import type { LegacyTable } from './legacy-schema';

/** What happened to the rows of one legacy table. read = inserted + alreadyImported + conflicts + rejected. */
export interface TableCounts {
  read: number;
  /** New rows written under the target customer_id. */
  inserted: number;
  /** Rows an earlier run imported (same deterministic id): nothing written. */
  alreadyImported: number;
  /** Rows that collide with a different existing row of the tenant (same caller profile, same call sid). */
  conflicts: number;
  /** Rows that cannot be imported as they are (e.g. a user_id that is not a phone number). */
  rejected: number;
}

/** A legacy row that was not imported, and why; nothing is skipped silently. */
export interface ImportProblem {
  table: LegacyTable;
  legacyId: number;
  reason: string;
}

export interface ImportLegacyOptions {
  /** Prisma client as neurosphere_platform: every batch runs in withPlatform (audited). */
  platformDb: Db;
  /** A connected client on the legacy database (read only; one snapshot for the whole import). */
  source: ClientBase;
  /** The tenant that receives the legacy data. */
  customerId: number;
  /** Rows per read and per write transaction. */
  batchSize?: number;
  /** Called after each batch, e.g. to log progress. */
  onBatch?: (table: LegacyTable, counts: TableCounts) => void;
}

export interface ImportLegacyResult {
  customerId: number;
  tables: Record<LegacyTable, TableCounts>;
  problems: ImportProblem[];
}

export class LegacyImportError extends Error {
  override readonly name = 'LegacyImportError';
}

type LegacyRow = Record<string, unknown> & { id: number };

/** A legacy row mapped to the new schema, or the reason it cannot be. */
type Mapped<T> = { row: T } | { rejected: string };

interface TableSpec<T extends { id: string }> {
  /** SELECT of the legacy columns (without WHERE/ORDER/LIMIT). */
  select: string;
  /** Legacy tables with a call_sid that must be unique per tenant in the new schema. */
  hasCallSid?: boolean;
  map(row: LegacyRow, context: MapContext): Mapped<T>;
  /** Inserts with ON CONFLICT DO NOTHING; returns the ids actually inserted. */
  insert(tx: TenantTx, customerId: number, rows: T[]): Promise<string[]>;
}

interface MapContext {
  customerId: number;
  table: LegacyTable;
  /** Legacy ids whose call_sid an earlier legacy row already uses. */
  duplicateCallSidIds: Set<number>;
}

const DEFAULT_BATCH_SIZE = 1000;

/**
 * Imports the original single-tenant memory database (see legacy-schema.ts) into one tenant.
 *
 * - Batches: keyset pages of `batchSize` rows by legacy id, each written in its own withPlatform
 *   transaction (one platform_audit_log row per batch, plus one for the whole run).
 * - Idempotent: every row gets a deterministic id (legacyRowId) and is inserted with ON CONFLICT
 *   DO NOTHING, so a second run inserts nothing and reports the rows as already imported.
 * - Loses nothing silently: phone numbers are normalized to E.164; a row that cannot be
 *   normalized, or collides with a different existing row of the tenant, is counted and listed.
 * - Consistent: the legacy database is read in one REPEATABLE READ READ ONLY transaction.
 */
export async function importLegacy(options: ImportLegacyOptions): Promise<ImportLegacyResult> {
  const { platformDb, source, customerId } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0) throw new LegacyImportError('batch size must be a positive integer');

  const exists = await withPlatform(
    platformDb,
    { actor: 'legacy-import', action: 'legacy_import.start', customerId },
    (tx) => tx.customer.findUnique({ where: { id: customerId }, select: { id: true } }),
  );
  if (!exists) throw new LegacyImportError(`customer ${customerId} does not exist`);

  const tables = Object.fromEntries(
    LEGACY_TABLES.map((table) => [table, { read: 0, inserted: 0, alreadyImported: 0, conflicts: 0, rejected: 0 }]),
  ) as Record<LegacyTable, TableCounts>;
  const problems: ImportProblem[] = [];

  await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    for (const table of LEGACY_TABLES) {
      const spec = TABLE_SPECS[table] as TableSpec<{ id: string }>;
      const context: MapContext = {
        customerId,
        table,
        duplicateCallSidIds: spec.hasCallSid ? await findDuplicateCallSidIds(source, table) : new Set(),
      };
      let lastId: number | null = null;
      for (;;) {
        const page: { rows: LegacyRow[] } = await source.query(
          `${spec.select} ${lastId === null ? '' : 'WHERE id > $2'} ORDER BY id LIMIT $1`,
          lastId === null ? [batchSize] : [batchSize, lastId],
        );
        if (page.rows.length === 0) break;
        lastId = page.rows[page.rows.length - 1]!.id;
        await importBatch({ platformDb, spec, context, rows: page.rows, counts: tables[table], problems });
        options.onBatch?.(table, tables[table]);
        if (page.rows.length < batchSize) break;
      }
    }
  } finally {
    await source.query('COMMIT');
  }

  await withPlatform(
    platformDb,
    { actor: 'legacy-import', action: 'legacy_import.completed', customerId, details: { tables: JSON.parse(JSON.stringify(tables)) as Prisma.InputJsonObject } },
    async () => undefined,
  );
  return { customerId, tables, problems };
}

async function importBatch(options: {
  platformDb: Db;
  spec: TableSpec<{ id: string }>;
  context: MapContext;
  rows: LegacyRow[];
  counts: TableCounts;
  problems: ImportProblem[];
}): Promise<void> {
  const { spec, context, rows, counts, problems } = options;
  const { customerId, table } = context;
  const accepted: Array<{ id: string }> = [];
  const legacyIdOf = new Map<string, number>();
  for (const legacy of rows) {
    const mapped = spec.map(legacy, context);
    if ('rejected' in mapped) {
      counts.rejected += 1;
      problems.push({ table, legacyId: legacy.id, reason: mapped.rejected });
      continue;
    }
    accepted.push(mapped.row);
    legacyIdOf.set(mapped.row.id, legacy.id);
  }
  counts.read += rows.length;
  if (accepted.length === 0) return;

  const { inserted, present } = await withPlatform(
    options.platformDb,
    {
      actor: 'legacy-import',
      action: 'legacy_import.batch',
      customerId,
      details: { table, firstLegacyId: rows[0]?.id ?? null, lastLegacyId: rows[rows.length - 1]?.id ?? null, rows: rows.length },
    },
    async (tx) => {
      const insertedIds = new Set(await spec.insert(tx, customerId, accepted));
      const notInserted = accepted.map((row) => row.id).filter((id) => !insertedIds.has(id));
      // Not inserted but present under its deterministic id: imported by an earlier run.
      const presentIds = notInserted.length === 0 ? [] : await existingIds(tx, table, customerId, notInserted);
      return { inserted: insertedIds, present: new Set(presentIds) };
    },
    { timeout: 60_000 },
  );
  for (const row of accepted) {
    if (inserted.has(row.id)) counts.inserted += 1;
    else if (present.has(row.id)) counts.alreadyImported += 1;
    else {
      counts.conflicts += 1;
      problems.push({
        table,
        legacyId: legacyIdOf.get(row.id) ?? -1,
        reason: 'collides with an existing row of this tenant (same caller or call sid)',
      });
    }
  }
}

/** Ids among `ids` that exist in the target table for this tenant. */
async function existingIds(tx: TenantTx, table: LegacyTable, customerId: number, ids: string[]): Promise<string[]> {
  // `table` is one of five constants, never input.
  const rows = await tx.$queryRawUnsafe<Array<{ id: string }>>(
    `SELECT id::text AS id FROM "${table}" WHERE customer_id = $1 AND id = ANY($2::uuid[])`,
    customerId,
    ids,
  );
  return rows.map((row) => row.id);
}

/** Legacy rows whose call_sid an earlier (lower id) row already has: they get a suffixed call sid. */
async function findDuplicateCallSidIds(source: ClientBase, table: LegacyTable): Promise<Set<number>> {
  const { rows } = await source.query<{ id: number }>(
    `SELECT id FROM (
       SELECT id, row_number() OVER (PARTITION BY call_sid ORDER BY id) AS position
         FROM ${table} WHERE call_sid IS NOT NULL
     ) ranked WHERE position > 1`,
  );
  return new Set(rows.map((row) => row.id));
}

// ---------------------------------------------------------------------------------------------
// Per-table mapping (legacy columns → new schema) and bulk insert (unnest arrays, one statement)
// ---------------------------------------------------------------------------------------------

function phoneOf(row: LegacyRow): string | null {
  return typeof row.user_id === 'string' ? normalizePhone(row.user_id) : null;
}

const INVALID_PHONE = 'user_id is not a valid phone number';

function json(value: unknown, fallback: unknown): string {
  return JSON.stringify(value ?? fallback);
}

function iso(value: unknown): string | null {
  return value instanceof Date ? value.toISOString() : typeof value === 'string' ? new Date(value).toISOString() : null;
}

function callSidFor(row: LegacyRow, context: MapContext): string {
  const legacySid = typeof row.call_sid === 'string' && row.call_sid.trim() !== '' ? row.call_sid.trim() : null;
  if (legacySid === null) return `legacy-${context.table}-${row.id}`;
  return context.duplicateCallSidIds.has(row.id) ? `${legacySid}-legacy-${row.id}` : legacySid;
}

function keyTopics(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  return typeof value === 'string' && value.trim() !== '' ? [value] : [];
}

interface MemoryRow {
  id: string;
  userId: string;
  content: string;
  kind: string;
  metadata: string;
  createdAt: string | null;
}

interface SummaryRow {
  id: string;
  callSid: string;
  threadId: string;
  userId: string;
  summary: string;
  keyTopics: string;
  variables: string;
  transcript: string | null;
  createdAt: string | null;
}

interface ProfileRow {
  id: string;
  userId: string;
  name: string | null;
  variables: string;
  quickBio: string | null;
  firstCallAt: string | null;
  lastCallAt: string | null;
  callCount: number;
  createdAt: string | null;
  updatedAt: string | null;
}

interface MetricRow {
  id: string;
  callSid: string;
  userId: string;
  scores: string;
  createdAt: string | null;
}

interface AverageRow {
  id: string;
  userId: string;
  averages: string;
  sampleCount: number;
  updatedAt: string | null;
}

const pick = <T, K extends keyof T>(rows: T[], key: K): Array<T[K]> => rows.map((row) => row[key]);

const TABLE_SPECS: { [K in LegacyTable]: TableSpec<{ id: string }> } = {
  memories: {
    select: 'SELECT id, user_id, thread_id, content, memory_type, metadata, created_at FROM memories',
    map(row, { customerId }): Mapped<MemoryRow> {
      const userId = phoneOf(row);
      if (!userId) return { rejected: INVALID_PHONE };
      const metadata = typeof row.metadata === 'object' && row.metadata !== null && !Array.isArray(row.metadata) ? row.metadata : {};
      return {
        row: {
          id: legacyRowId(customerId, 'memories', row.id),
          userId,
          content: String(row.content),
          kind: typeof row.memory_type === 'string' && row.memory_type !== '' ? row.memory_type : 'fact',
          metadata: json({ ...metadata, legacy: { id: row.id, thread_id: row.thread_id ?? null, user_id: row.user_id } }, {}),
          createdAt: iso(row.created_at),
        },
      };
    },
    async insert(tx, customerId, rows) {
      const typed = rows as MemoryRow[];
      const inserted = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO memories (customer_id, id, user_id, content, kind, metadata, created_at, updated_at)
        SELECT ${customerId}, t.id, t.user_id, t.content, t.kind, t.metadata::jsonb,
               coalesce(t.created_at, now()), coalesce(t.created_at, now())
          FROM unnest(${pick(typed, 'id')}::uuid[], ${pick(typed, 'userId')}::text[], ${pick(typed, 'content')}::text[],
                      ${pick(typed, 'kind')}::text[], ${pick(typed, 'metadata')}::text[], ${pick(typed, 'createdAt')}::timestamptz[])
               AS t(id, user_id, content, kind, metadata, created_at)
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id`;
      return inserted.map((row) => row.id);
    },
  },
  call_summaries: {
    select: 'SELECT id, call_sid, user_id, thread_id, summary, key_topics, variables, transcript, created_at FROM call_summaries',
    hasCallSid: true,
    map(row, context): Mapped<SummaryRow> {
      const userId = phoneOf(row);
      if (!userId) return { rejected: INVALID_PHONE };
      return {
        row: {
          id: legacyRowId(context.customerId, 'call_summaries', row.id),
          callSid: callSidFor(row, context),
          threadId: threadIdFor(context.customerId, userId),
          userId,
          summary: String(row.summary),
          keyTopics: json(keyTopics(row.key_topics), []),
          variables: json(row.variables, {}),
          transcript: row.transcript === null || row.transcript === undefined ? null : json(row.transcript, null),
          createdAt: iso(row.created_at),
        },
      };
    },
    async insert(tx, customerId, rows) {
      const typed = rows as SummaryRow[];
      const inserted = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO call_summaries (customer_id, id, call_sid, thread_id, user_id, summary, key_topics, variables, raw_transcript, status, created_at)
        SELECT ${customerId}, t.id, t.call_sid, t.thread_id, t.user_id, t.summary, t.key_topics::jsonb, t.variables::jsonb,
               t.transcript::jsonb, 'completed', coalesce(t.created_at, now())
          FROM unnest(${pick(typed, 'id')}::uuid[], ${pick(typed, 'callSid')}::text[], ${pick(typed, 'threadId')}::text[],
                      ${pick(typed, 'userId')}::text[], ${pick(typed, 'summary')}::text[], ${pick(typed, 'keyTopics')}::text[],
                      ${pick(typed, 'variables')}::text[], ${pick(typed, 'transcript')}::text[], ${pick(typed, 'createdAt')}::timestamptz[])
               AS t(id, call_sid, thread_id, user_id, summary, key_topics, variables, transcript, created_at)
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id`;
      return inserted.map((row) => row.id);
    },
  },
  caller_profiles: {
    select:
      'SELECT id, user_id, name, quick_bio, variables, first_call_at, last_call_at, total_calls, created_at, updated_at FROM caller_profiles',
    map(row, { customerId }): Mapped<ProfileRow> {
      const userId = phoneOf(row);
      if (!userId) return { rejected: INVALID_PHONE };
      return {
        row: {
          id: legacyRowId(customerId, 'caller_profiles', row.id),
          userId,
          name: typeof row.name === 'string' ? row.name : null,
          variables: json(row.variables, {}),
          quickBio: typeof row.quick_bio === 'string' ? row.quick_bio : null,
          firstCallAt: iso(row.first_call_at),
          lastCallAt: iso(row.last_call_at),
          callCount: typeof row.total_calls === 'number' ? row.total_calls : 0,
          createdAt: iso(row.created_at),
          updatedAt: iso(row.updated_at),
        },
      };
    },
    async insert(tx, customerId, rows) {
      const typed = rows as ProfileRow[];
      const inserted = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO caller_profiles (customer_id, id, user_id, name, variables, quick_bio, first_call_at, last_call_at, call_count, created_at, updated_at)
        SELECT ${customerId}, t.id, t.user_id, t.name, t.variables::jsonb, t.quick_bio, t.first_call_at, t.last_call_at, t.call_count,
               coalesce(t.created_at, now()), coalesce(t.updated_at, now())
          FROM unnest(${pick(typed, 'id')}::uuid[], ${pick(typed, 'userId')}::text[], ${pick(typed, 'name')}::text[],
                      ${pick(typed, 'variables')}::text[], ${pick(typed, 'quickBio')}::text[], ${pick(typed, 'firstCallAt')}::timestamptz[],
                      ${pick(typed, 'lastCallAt')}::timestamptz[], ${pick(typed, 'callCount')}::int[], ${pick(typed, 'createdAt')}::timestamptz[],
                      ${pick(typed, 'updatedAt')}::timestamptz[])
               AS t(id, user_id, name, variables, quick_bio, first_call_at, last_call_at, call_count, created_at, updated_at)
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id`;
      return inserted.map((row) => row.id);
    },
  },
  personality_metrics: {
    select: 'SELECT id, user_id, call_sid, metrics, created_at FROM personality_metrics',
    hasCallSid: true,
    map(row, context): Mapped<MetricRow> {
      const userId = phoneOf(row);
      if (!userId) return { rejected: INVALID_PHONE };
      if (typeof row.metrics !== 'object' || row.metrics === null || Array.isArray(row.metrics)) {
        return { rejected: 'metrics is not a JSON object' };
      }
      return {
        row: {
          id: legacyRowId(context.customerId, 'personality_metrics', row.id),
          callSid: callSidFor(row, context),
          userId,
          scores: json(row.metrics, {}),
          createdAt: iso(row.created_at),
        },
      };
    },
    async insert(tx, customerId, rows) {
      const typed = rows as MetricRow[];
      const inserted = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO personality_metrics (customer_id, id, call_sid, user_id, scores, created_at)
        SELECT ${customerId}, t.id, t.call_sid, t.user_id, t.scores::jsonb, coalesce(t.created_at, now())
          FROM unnest(${pick(typed, 'id')}::uuid[], ${pick(typed, 'callSid')}::text[], ${pick(typed, 'userId')}::text[],
                      ${pick(typed, 'scores')}::text[], ${pick(typed, 'createdAt')}::timestamptz[])
               AS t(id, call_sid, user_id, scores, created_at)
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id`;
      return inserted.map((row) => row.id);
    },
  },
  personality_averages: {
    select: 'SELECT id, user_id, averages, call_count, updated_at FROM personality_averages',
    map(row, { customerId }): Mapped<AverageRow> {
      const userId = phoneOf(row);
      if (!userId) return { rejected: INVALID_PHONE };
      if (typeof row.averages !== 'object' || row.averages === null || Array.isArray(row.averages)) {
        return { rejected: 'averages is not a JSON object' };
      }
      return {
        row: {
          id: legacyRowId(customerId, 'personality_averages', row.id),
          userId,
          averages: json(row.averages, {}),
          sampleCount: typeof row.call_count === 'number' ? row.call_count : 0,
          updatedAt: iso(row.updated_at),
        },
      };
    },
    async insert(tx, customerId, rows) {
      const typed = rows as AverageRow[];
      const inserted = await tx.$queryRaw<Array<{ id: string }>>`
        INSERT INTO personality_averages (customer_id, id, user_id, averages, sample_count, created_at, updated_at)
        SELECT ${customerId}, t.id, t.user_id, t.averages::jsonb, t.sample_count, coalesce(t.updated_at, now()), coalesce(t.updated_at, now())
          FROM unnest(${pick(typed, 'id')}::uuid[], ${pick(typed, 'userId')}::text[], ${pick(typed, 'averages')}::text[],
                      ${pick(typed, 'sampleCount')}::int[], ${pick(typed, 'updatedAt')}::timestamptz[])
               AS t(id, user_id, averages, sample_count, updated_at)
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id`;
      return inserted.map((row) => row.id);
    },
  },
};

import { normalizePhone } from '@neurosphere/contracts';
import { withPlatform } from '@neurosphere/db';
import type { Db, Prisma, TenantTx } from '@neurosphere/db';
import type { ClientBase } from 'pg';
import { threadIdFor } from '../callers/thread-id';
import { inspectLegacySource, LegacyImportError } from './inspect-legacy-source';
import type { LegacyTableSource } from './inspect-legacy-source';
import { legacyRowId } from './legacy-id';
import { LEGACY_TABLES } from './legacy-schema';
import type { LegacyTable } from './legacy-schema';

export { LegacyImportError } from './inspect-legacy-source';

/** What happened to the rows of one legacy table. read = inserted + alreadyImported + conflicts + rejected. */
export interface TableCounts {
  read: number;
  /** New rows written under the target customer_id (in a dry run: rows that would be). */
  inserted: number;
  /** Rows an earlier run imported (same deterministic id): nothing written. */
  alreadyImported: number;
  /** Rows that collide with a different existing row of the tenant (same caller profile, same call sid). A dry run writes nothing, so it finds none. */
  conflicts: number;
  /** Rows that cannot be imported as they are (e.g. a user_id that is not a phone number, no id). */
  rejected: number;
}

/** A legacy row that was not imported, and why; nothing is skipped silently. */
export interface ImportProblem {
  table: LegacyTable;
  /** The legacy id as text (UUID or integer); null for rows without one. */
  legacyId: string | null;
  reason: string;
}

/** A legacy row as the import would write it (dry run). */
export interface SampleRow {
  legacyId: string;
  row: Record<string, unknown>;
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
  /** Read, map and count everything and return sample rows, but write no tenant row. */
  dryRun?: boolean;
  /** Sample rows per table in a dry run. */
  sampleSize?: number;
  /** Called after each batch, e.g. to log progress. */
  onBatch?: (table: LegacyTable, counts: TableCounts) => void;
}

export interface ImportLegacyResult {
  customerId: number;
  dryRun: boolean;
  tables: Record<LegacyTable, TableCounts>;
  /** Legacy tables the source does not have. */
  absent: LegacyTable[];
  problems: ImportProblem[];
  /** The first rows of each table as they would be written (dry run only; empty otherwise). */
  samples: Record<LegacyTable, SampleRow[]>;
}

type LegacyRow = Record<string, unknown> & { id: string };

/** A legacy row mapped to the new schema, or the reason it cannot be. */
type Mapped<T> = { row: T } | { rejected: string };

interface TableSpec<T extends { id: string }> {
  map(row: LegacyRow, context: MapContext): Mapped<T>;
  /** Inserts with ON CONFLICT DO NOTHING; returns the ids actually inserted. */
  insert(tx: TenantTx, customerId: number, rows: T[]): Promise<string[]>;
}

interface MapContext {
  customerId: number;
  table: LegacyTable;
  /** Legacy ids whose call_sid an earlier legacy row already uses. */
  duplicateCallSidIds: Set<string>;
}

/** Writes one batch of mapped rows (or, in a dry run, only looks them up): which ids were inserted, which were there already. */
type WriteBatch = (
  table: LegacyTable,
  spec: TableSpec<{ id: string }>,
  rows: Array<{ id: string }>,
  legacyIds: { first: string; last: string; count: number },
) => Promise<{ inserted: Set<string>; present: Set<string> }>;

const DEFAULT_BATCH_SIZE = 1000;
const DEFAULT_SAMPLE_SIZE = 3;
/** A dry run reads the whole source inside one audited (read-only in effect) platform transaction. */
const DRY_RUN_TIMEOUT_MS = 30 * 60_000;

/**
 * Imports the original single-tenant memory database (see legacy-schema.ts) into one tenant.
 *
 * - Reads what the source has: its columns come from information_schema (inspect-legacy-source.ts);
 *   a missing required column fails before anything is written. Ids may be UUIDs or integers.
 * - Batches: keyset pages of `batchSize` rows by legacy id, each written in its own withPlatform
 *   transaction (one platform_audit_log row per batch, plus one for the start and one at the end).
 * - Idempotent: every row gets a deterministic id (legacyRowId) and is inserted with ON CONFLICT
 *   DO NOTHING, so a second run inserts nothing and reports the rows as already imported.
 * - Loses nothing silently: phone numbers are normalized to E.164; a row that cannot be
 *   normalized, or collides with a different existing row of the tenant, is counted and listed.
 * - Consistent: the legacy database is read in one REPEATABLE READ READ ONLY transaction.
 * - Dry run: the same reads, mapping and already-imported lookups in one audited platform
 *   transaction that writes no tenant row; returns sample rows.
 */
export async function importLegacy(options: ImportLegacyOptions): Promise<ImportLegacyResult> {
  const { platformDb, source, customerId } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize <= 0) throw new LegacyImportError('batch size must be a positive integer');
  const dryRun = options.dryRun ?? false;

  const result: ImportLegacyResult = {
    customerId,
    dryRun,
    tables: Object.fromEntries(
      LEGACY_TABLES.map((table) => [table, { read: 0, inserted: 0, alreadyImported: 0, conflicts: 0, rejected: 0 }]),
    ) as Record<LegacyTable, TableCounts>,
    absent: [],
    problems: [],
    samples: Object.fromEntries(LEGACY_TABLES.map((table) => [table, []])) as unknown as Record<LegacyTable, SampleRow[]>,
  };

  await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const legacySource = await inspectLegacySource(source);
    result.absent = legacySource.absent;
    const read = (writeBatch: WriteBatch) =>
      readTables({
        ...options,
        batchSize,
        sampleSize: dryRun ? (options.sampleSize ?? DEFAULT_SAMPLE_SIZE) : 0,
        tables: legacySource.tables,
        result,
        writeBatch,
      });

    if (dryRun) {
      await withPlatform(
        platformDb,
        { actor: 'legacy-import', action: 'legacy_import.dry_run', customerId },
        async (tx) => {
          await assertCustomerExists(tx, customerId);
          await read(async (table, _spec, rows) => {
            const ids = rows.map((row) => row.id);
            const present = new Set(await existingIds(tx, table, customerId, ids));
            return { inserted: new Set(ids.filter((id) => !present.has(id))), present };
          });
        },
        { timeout: DRY_RUN_TIMEOUT_MS },
      );
      return result;
    }

    await withPlatform(platformDb, { actor: 'legacy-import', action: 'legacy_import.start', customerId }, (tx) =>
      assertCustomerExists(tx, customerId),
    );
    await read((table, spec, rows, legacyIds) =>
      withPlatform(
        platformDb,
        {
          actor: 'legacy-import',
          action: 'legacy_import.batch',
          customerId,
          details: { table, firstLegacyId: legacyIds.first, lastLegacyId: legacyIds.last, rows: legacyIds.count },
        },
        async (tx) => {
          const inserted = new Set(await spec.insert(tx, customerId, rows));
          const notInserted = rows.map((row) => row.id).filter((id) => !inserted.has(id));
          // Not inserted but present under its deterministic id: imported by an earlier run.
          const present = notInserted.length === 0 ? [] : await existingIds(tx, table, customerId, notInserted);
          return { inserted, present: new Set(present) };
        },
        { timeout: 60_000 },
      ),
    );
  } finally {
    await source.query('COMMIT');
  }

  await withPlatform(
    platformDb,
    {
      actor: 'legacy-import',
      action: 'legacy_import.completed',
      customerId,
      details: { tables: JSON.parse(JSON.stringify(result.tables)) as Prisma.InputJsonObject },
    },
    async () => undefined,
  );
  return result;
}

async function assertCustomerExists(tx: TenantTx, customerId: number): Promise<void> {
  const customer = await tx.customer.findUnique({ where: { id: customerId }, select: { id: true } });
  if (!customer) throw new LegacyImportError(`customer ${customerId} does not exist`);
}

/** Every table the source has, in keyset pages by legacy id, each page mapped, counted and handed to `writeBatch`. */
async function readTables(options: {
  source: ClientBase;
  customerId: number;
  batchSize: number;
  sampleSize: number;
  tables: LegacyTableSource[];
  result: ImportLegacyResult;
  writeBatch: WriteBatch;
  onBatch?: (table: LegacyTable, counts: TableCounts) => void;
}): Promise<void> {
  const { source, customerId, batchSize, result } = options;
  for (const { table, select, idType, columns } of options.tables) {
    const spec = TABLE_SPECS[table];
    const counts = result.tables[table];
    const context: MapContext = {
      customerId,
      table,
      duplicateCallSidIds: columns.has('call_sid') ? await findDuplicateCallSidIds(source, table) : new Set(),
    };
    // A table without a primary key (the plan's memories) may hold rows without an id: listed, not imported.
    const withoutId = await source.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table} WHERE id IS NULL`);
    const idless = withoutId.rows[0]?.count ?? 0;
    if (idless > 0) {
      counts.read += idless;
      counts.rejected += idless;
      result.problems.push({ table, legacyId: null, reason: `${idless} row(s) without an id` });
    }
    let lastId: string | null = null;
    for (;;) {
      const page: { rows: LegacyRow[] } = await source.query(
        `${select} WHERE legacy.id IS NOT NULL ${lastId === null ? '' : `AND legacy.id > $2::${idType}`} ORDER BY legacy.id LIMIT $1`,
        lastId === null ? [batchSize] : [batchSize, lastId],
      );
      if (page.rows.length === 0) break;
      lastId = page.rows[page.rows.length - 1]!.id;
      await importBatch({ ...options, spec, context, rows: page.rows, counts });
      options.onBatch?.(table, counts);
      if (page.rows.length < batchSize) break;
    }
  }
}

async function importBatch(options: {
  spec: TableSpec<{ id: string }>;
  context: MapContext;
  rows: LegacyRow[];
  counts: TableCounts;
  result: ImportLegacyResult;
  sampleSize: number;
  writeBatch: WriteBatch;
}): Promise<void> {
  const { spec, context, rows, counts, result } = options;
  const { table } = context;
  const accepted: Array<{ id: string }> = [];
  const legacyIdOf = new Map<string, string>();
  for (const legacy of rows) {
    const mapped = spec.map(legacy, context);
    if ('rejected' in mapped) {
      counts.rejected += 1;
      result.problems.push({ table, legacyId: legacy.id, reason: mapped.rejected });
      continue;
    }
    accepted.push(mapped.row);
    legacyIdOf.set(mapped.row.id, legacy.id);
    const samples = result.samples[table];
    if (samples.length < options.sampleSize) samples.push({ legacyId: legacy.id, row: { ...mapped.row } });
  }
  counts.read += rows.length;
  if (accepted.length === 0) return;

  const { inserted, present } = await options.writeBatch(table, spec, accepted, {
    first: rows[0]!.id,
    last: rows[rows.length - 1]!.id,
    count: rows.length,
  });
  for (const row of accepted) {
    if (inserted.has(row.id)) counts.inserted += 1;
    else if (present.has(row.id)) counts.alreadyImported += 1;
    else {
      counts.conflicts += 1;
      result.problems.push({
        table,
        legacyId: legacyIdOf.get(row.id) ?? null,
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
async function findDuplicateCallSidIds(source: ClientBase, table: LegacyTable): Promise<Set<string>> {
  const { rows } = await source.query<{ id: string }>(
    `SELECT id FROM (
       SELECT id::text AS id, row_number() OVER (PARTITION BY call_sid ORDER BY id) AS position
         FROM ${table} WHERE call_sid IS NOT NULL AND id IS NOT NULL
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

/** A JSON column's value; text columns (some old deployments) hold JSON as text, or plain text. */
function jsonValue(value: unknown, fallback: unknown): unknown {
  if (typeof value !== 'string') return value ?? fallback;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  metadata: unknown;
  createdAt: string | null;
}

interface SummaryRow {
  id: string;
  callSid: string;
  threadId: string;
  userId: string;
  summary: string;
  keyTopics: unknown;
  variables: unknown;
  transcript: unknown;
  createdAt: string | null;
}

interface ProfileRow {
  id: string;
  userId: string;
  name: string | null;
  variables: unknown;
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
  scores: unknown;
  createdAt: string | null;
}

interface AverageRow {
  id: string;
  userId: string;
  averages: unknown;
  sampleCount: number;
  updatedAt: string | null;
}

const pick = <T, K extends keyof T>(rows: T[], key: K): Array<T[K]> => rows.map((row) => row[key]);
/** JSON values as text for a ::text[] parameter (cast to jsonb in SQL); null stays SQL NULL. */
const jsonTexts = <T, K extends keyof T>(rows: T[], key: K): Array<string | null> =>
  rows.map((row) => (row[key] === null || row[key] === undefined ? null : JSON.stringify(row[key])));

const TABLE_SPECS: { [K in LegacyTable]: TableSpec<{ id: string }> } = {
  memories: {
    map(row, { customerId }): Mapped<MemoryRow> {
      const userId = phoneOf(row);
      if (!userId) return { rejected: INVALID_PHONE };
      if (typeof row.content !== 'string' || row.content.trim() === '') return { rejected: 'content is empty' };
      const legacyMetadata = jsonValue(row.metadata, {});
      const metadata = isObject(legacyMetadata) ? legacyMetadata : {};
      return {
        row: {
          id: legacyRowId(customerId, 'memories', row.id),
          userId,
          content: row.content,
          kind: typeof row.memory_type === 'string' && row.memory_type !== '' ? row.memory_type : 'fact',
          metadata: { ...metadata, legacy: { id: row.id, thread_id: row.thread_id ?? null, user_id: row.user_id } },
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
                      ${pick(typed, 'kind')}::text[], ${jsonTexts(typed, 'metadata')}::text[], ${pick(typed, 'createdAt')}::timestamptz[])
               AS t(id, user_id, content, kind, metadata, created_at)
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id`;
      return inserted.map((row) => row.id);
    },
  },
  call_summaries: {
    map(row, context): Mapped<SummaryRow> {
      const userId = phoneOf(row);
      if (!userId) return { rejected: INVALID_PHONE };
      if (typeof row.summary !== 'string' || row.summary.trim() === '') return { rejected: 'summary is empty' };
      return {
        row: {
          id: legacyRowId(context.customerId, 'call_summaries', row.id),
          callSid: callSidFor(row, context),
          threadId: threadIdFor(context.customerId, userId),
          userId,
          summary: row.summary,
          keyTopics: keyTopics(jsonValue(row.key_topics, [])),
          variables: jsonValue(row.variables, {}),
          transcript: jsonValue(row.transcript, null),
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
                      ${pick(typed, 'userId')}::text[], ${pick(typed, 'summary')}::text[], ${jsonTexts(typed, 'keyTopics')}::text[],
                      ${jsonTexts(typed, 'variables')}::text[], ${jsonTexts(typed, 'transcript')}::text[], ${pick(typed, 'createdAt')}::timestamptz[])
               AS t(id, call_sid, thread_id, user_id, summary, key_topics, variables, transcript, created_at)
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id`;
      return inserted.map((row) => row.id);
    },
  },
  caller_profiles: {
    map(row, { customerId }): Mapped<ProfileRow> {
      const userId = phoneOf(row);
      if (!userId) return { rejected: INVALID_PHONE };
      return {
        row: {
          id: legacyRowId(customerId, 'caller_profiles', row.id),
          userId,
          name: typeof row.name === 'string' ? row.name : null,
          variables: jsonValue(row.variables, {}),
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
                      ${jsonTexts(typed, 'variables')}::text[], ${pick(typed, 'quickBio')}::text[], ${pick(typed, 'firstCallAt')}::timestamptz[],
                      ${pick(typed, 'lastCallAt')}::timestamptz[], ${pick(typed, 'callCount')}::int[], ${pick(typed, 'createdAt')}::timestamptz[],
                      ${pick(typed, 'updatedAt')}::timestamptz[])
               AS t(id, user_id, name, variables, quick_bio, first_call_at, last_call_at, call_count, created_at, updated_at)
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id`;
      return inserted.map((row) => row.id);
    },
  },
  personality_metrics: {
    map(row, context): Mapped<MetricRow> {
      const userId = phoneOf(row);
      if (!userId) return { rejected: INVALID_PHONE };
      const scores = jsonValue(row.metrics, null);
      if (!isObject(scores)) return { rejected: 'metrics is not a JSON object' };
      return {
        row: {
          id: legacyRowId(context.customerId, 'personality_metrics', row.id),
          callSid: callSidFor(row, context),
          userId,
          scores,
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
                      ${jsonTexts(typed, 'scores')}::text[], ${pick(typed, 'createdAt')}::timestamptz[])
               AS t(id, call_sid, user_id, scores, created_at)
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id`;
      return inserted.map((row) => row.id);
    },
  },
  personality_averages: {
    map(row, { customerId }): Mapped<AverageRow> {
      const userId = phoneOf(row);
      if (!userId) return { rejected: INVALID_PHONE };
      const averages = jsonValue(row.averages, null);
      if (!isObject(averages)) return { rejected: 'averages is not a JSON object' };
      return {
        row: {
          id: legacyRowId(customerId, 'personality_averages', row.id),
          userId,
          averages,
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
          FROM unnest(${pick(typed, 'id')}::uuid[], ${pick(typed, 'userId')}::text[], ${jsonTexts(typed, 'averages')}::text[],
                      ${pick(typed, 'sampleCount')}::int[], ${pick(typed, 'updatedAt')}::timestamptz[])
               AS t(id, user_id, averages, sample_count, updated_at)
        ON CONFLICT DO NOTHING
        RETURNING id::text AS id`;
      return inserted.map((row) => row.id);
    },
  },
};

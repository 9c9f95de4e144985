import type { ClientBase } from 'pg';
import { LEGACY_COLUMNS, LEGACY_TABLES } from './legacy-schema';
import type { LegacyColumn, LegacyTable } from './legacy-schema';

export class LegacyImportError extends Error {
  override readonly name = 'LegacyImportError';
}

/** One row of the source's information_schema.columns. */
export interface SourceColumn {
  table_name: string;
  column_name: string;
  data_type: string;
}

/** How to read one legacy table that the source has. */
export interface LegacyTableSource {
  table: LegacyTable;
  /** `SELECT <every known column, NULL where absent> FROM <table> legacy`, without WHERE/ORDER/LIMIT. */
  select: string;
  /** The SQL type a keyset bound on `legacy.id` is cast to. */
  idType: 'uuid' | 'bigint';
  /** The known columns the source has. */
  columns: ReadonlySet<string>;
}

export interface LegacySource {
  /** The legacy tables the source has, in import order. */
  tables: LegacyTableSource[];
  /** The legacy tables it does not have (nothing to import from them). */
  absent: LegacyTable[];
}

const INTEGER_TYPES = new Set(['smallint', 'integer', 'bigint']);
const TEXT_TYPES = new Set(['text', 'character varying', 'character']);

/** The SELECT expression for `column` of data type `dataType`, or null when that type cannot be read as `spec.kind`. */
function readExpression(column: string, spec: LegacyColumn, dataType: string): string | null {
  const ref = `legacy."${column}"`;
  switch (spec.kind) {
    case 'id':
      return dataType === 'uuid' || INTEGER_TYPES.has(dataType) ? `${ref}::text AS "${column}"` : null;
    case 'text':
      return `${ref}::text AS "${column}"`;
    case 'json':
      return dataType === 'json' || dataType === 'jsonb' || TEXT_TYPES.has(dataType) ? `${ref} AS "${column}"` : null;
    case 'integer':
      return INTEGER_TYPES.has(dataType) ? `${ref}::int AS "${column}"` : null;
    case 'timestamp':
      // The old system wrote naive timestamps in UTC; read with a zone they are exact instants.
      if (dataType === 'timestamp with time zone') return `${ref} AS "${column}"`;
      if (dataType === 'timestamp without time zone') return `${ref} AT TIME ZONE 'UTC' AS "${column}"`;
      if (dataType === 'date') return `${ref}::timestamp AT TIME ZONE 'UTC' AS "${column}"`;
      return null;
  }
}

/**
 * Decides from the source's columns how each legacy table is read. Throws one LegacyImportError
 * naming every missing required column and every column of a type the import cannot read, so an
 * operator fixes the source once instead of once per run.
 */
export function planLegacySource(sourceColumns: SourceColumn[]): LegacySource {
  const typesByTable = new Map<string, Map<string, string>>();
  for (const { table_name, column_name, data_type } of sourceColumns) {
    const columns = typesByTable.get(table_name) ?? new Map<string, string>();
    columns.set(column_name, data_type);
    typesByTable.set(table_name, columns);
  }
  const tables: LegacyTableSource[] = [];
  const absent: LegacyTable[] = [];
  const errors: string[] = [];
  for (const table of LEGACY_TABLES) {
    const types = typesByTable.get(table);
    if (!types) {
      absent.push(table);
      continue;
    }
    const missing = Object.entries(LEGACY_COLUMNS[table])
      .filter(([column, spec]) => spec.required && !types.has(column))
      .map(([column]) => column);
    if (missing.length > 0) errors.push(`table ${table} lacks the required column(s) ${missing.join(', ')}`);
    const expressions = Object.entries(LEGACY_COLUMNS[table]).map(([column, spec]) => {
      const dataType = types.get(column);
      if (dataType === undefined) return `NULL AS "${column}"`;
      const expression = readExpression(column, spec, dataType);
      if (expression === null) errors.push(`column ${table}.${column} has type ${dataType}, which cannot be read as ${spec.kind}`);
      return expression;
    });
    tables.push({
      table,
      select: `SELECT ${expressions.join(', ')} FROM ${table} legacy`,
      idType: types.get('id') === 'uuid' ? 'uuid' : 'bigint',
      columns: new Set([...types.keys()].filter((column) => column in LEGACY_COLUMNS[table])),
    });
  }
  if (tables.length === 0) errors.push(`none of the legacy tables (${LEGACY_TABLES.join(', ')}) exists`);
  if (errors.length > 0) throw new LegacyImportError(`the legacy database cannot be imported: ${errors.join('; ')}`);
  return { tables, absent };
}

/** Reads the columns of the legacy tables in the source's current schema (information_schema). */
export async function inspectLegacySource(source: ClientBase): Promise<LegacySource> {
  const { rows } = await source.query<SourceColumn>(
    `SELECT table_name::text, column_name::text, data_type::text
       FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = ANY($1::text[])
      ORDER BY table_name, ordinal_position`,
    [LEGACY_TABLES],
  );
  return planLegacySource(rows);
}

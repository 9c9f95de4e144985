/**
 * The tables of the original single-tenant memory database that the import knows, and the
 * columns it can map. No customer_id anywhere; `user_id` is the caller's phone number as the old
 * system captured it (any format). Deployments of the old system differ: the plan's `memories`
 * table is only `id UUID, user_id TEXT, content TEXT, created_at TIMESTAMP`, others added
 * columns or tables. So the import reads the source's actual columns (inspect-legacy-source.ts):
 * a table that is not there is skipped, an optional column that is not there maps to its default,
 * and a missing required column stops the import before anything is written.
 */
export const LEGACY_TABLES = ['memories', 'call_summaries', 'caller_profiles', 'personality_metrics', 'personality_averages'] as const;
export type LegacyTable = (typeof LEGACY_TABLES)[number];

/**
 * How a column is read. id: UUID or integer, read as text (keyset order by the native type);
 * text: cast to text; json: json/jsonb (or text holding JSON); timestamp: with or without time zone
 * (without is taken as UTC) or date; integer: any integer type.
 */
export type LegacyColumnKind = 'id' | 'text' | 'json' | 'timestamp' | 'integer';

export interface LegacyColumn {
  kind: LegacyColumnKind;
  /** Without it the table cannot be imported. */
  required?: true;
}

export const LEGACY_COLUMNS: Record<LegacyTable, Record<string, LegacyColumn>> = {
  memories: {
    id: { kind: 'id', required: true },
    user_id: { kind: 'text', required: true },
    content: { kind: 'text', required: true },
    thread_id: { kind: 'text' },
    memory_type: { kind: 'text' },
    metadata: { kind: 'json' },
    created_at: { kind: 'timestamp' },
  },
  call_summaries: {
    id: { kind: 'id', required: true },
    user_id: { kind: 'text', required: true },
    summary: { kind: 'text', required: true },
    call_sid: { kind: 'text' },
    thread_id: { kind: 'text' },
    key_topics: { kind: 'json' },
    variables: { kind: 'json' },
    transcript: { kind: 'json' },
    created_at: { kind: 'timestamp' },
  },
  caller_profiles: {
    id: { kind: 'id', required: true },
    user_id: { kind: 'text', required: true },
    name: { kind: 'text' },
    quick_bio: { kind: 'text' },
    variables: { kind: 'json' },
    first_call_at: { kind: 'timestamp' },
    last_call_at: { kind: 'timestamp' },
    total_calls: { kind: 'integer' },
    created_at: { kind: 'timestamp' },
    updated_at: { kind: 'timestamp' },
  },
  personality_metrics: {
    id: { kind: 'id', required: true },
    user_id: { kind: 'text', required: true },
    metrics: { kind: 'json', required: true },
    call_sid: { kind: 'text' },
    created_at: { kind: 'timestamp' },
  },
  personality_averages: {
    id: { kind: 'id', required: true },
    user_id: { kind: 'text', required: true },
    averages: { kind: 'json', required: true },
    call_count: { kind: 'integer' },
    updated_at: { kind: 'timestamp' },
  },
};

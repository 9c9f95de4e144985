import { planLegacySource } from './inspect-legacy-source';
import type { SourceColumn } from './inspect-legacy-source';

const columns = (table: string, types: Record<string, string>): SourceColumn[] =>
  Object.entries(types).map(([column_name, data_type]) => ({ table_name: table, column_name, data_type }));

describe('planLegacySource', () => {
  it("reads the plan's memories table: UUID ids, naive timestamps as UTC, absent columns as NULL, absent tables skipped", () => {
    const plan = planLegacySource(
      columns('memories', { id: 'uuid', user_id: 'text', content: 'text', created_at: 'timestamp without time zone' }),
    );
    expect(plan.absent).toEqual(['call_summaries', 'caller_profiles', 'personality_metrics', 'personality_averages']);
    expect(plan.tables).toHaveLength(1);
    const [memories] = plan.tables;
    expect(memories).toMatchObject({ table: 'memories', idType: 'uuid', columns: new Set(['id', 'user_id', 'content', 'created_at']) });
    expect(memories!.select).toBe(
      'SELECT legacy."id"::text AS "id", legacy."user_id"::text AS "user_id", legacy."content"::text AS "content", ' +
        'NULL AS "thread_id", NULL AS "memory_type", NULL AS "metadata", ' +
        `legacy."created_at" AT TIME ZONE 'UTC' AS "created_at" FROM memories legacy`,
    );
  });

  it('takes integer ids and timestamps with a time zone as they are, and ignores columns it does not know', () => {
    const plan = planLegacySource(
      columns('personality_averages', {
        id: 'integer',
        user_id: 'character varying',
        averages: 'jsonb',
        updated_at: 'timestamp with time zone',
        extra: 'text',
      }),
    );
    expect(plan.tables[0]).toMatchObject({ idType: 'bigint', columns: new Set(['id', 'user_id', 'averages', 'updated_at']) });
    expect(plan.tables[0]!.select).toContain('legacy."updated_at" AS "updated_at"');
    expect(plan.tables[0]!.select).not.toContain('extra');
  });

  it('names every missing required column and every column it cannot read, in one error', () => {
    expect(() =>
      planLegacySource([
        ...columns('memories', { id: 'uuid', user_id: 'text', created_at: 'text' }),
        ...columns('personality_metrics', { id: 'text', call_sid: 'text' }),
      ]),
    ).toThrow(
      'the legacy database cannot be imported: table memories lacks the required column(s) content; ' +
        'column memories.created_at has type text, which cannot be read as timestamp; ' +
        'table personality_metrics lacks the required column(s) user_id, metrics; ' +
        'column personality_metrics.id has type text, which cannot be read as id',
    );
  });

  it('refuses a source without any legacy table', () => {
    expect(() => planLegacySource(columns('something_else', { id: 'integer' }))).toThrow(
      'none of the legacy tables (memories, call_summaries, caller_profiles, personality_metrics, personality_averages) exists',
    );
  });
});

/**
 * The original single-tenant memory database, as the original plan defined it: five tables and
 * no customer_id anywhere. `user_id` is the caller's phone number as the old system captured it
 * (any format); ids are serial integers. The import reads exactly these columns, and the test
 * builds a legacy database from this DDL.
 */
export const LEGACY_TABLES = ['memories', 'call_summaries', 'caller_profiles', 'personality_metrics', 'personality_averages'] as const;
export type LegacyTable = (typeof LEGACY_TABLES)[number];

export const LEGACY_SCHEMA_SQL = `
CREATE TABLE memories (
  id          SERIAL PRIMARY KEY,
  user_id     TEXT NOT NULL,
  thread_id   TEXT,
  content     TEXT NOT NULL,
  memory_type TEXT,
  metadata    JSONB,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE call_summaries (
  id          SERIAL PRIMARY KEY,
  call_sid    TEXT,
  user_id     TEXT NOT NULL,
  thread_id   TEXT,
  summary     TEXT NOT NULL,
  key_topics  JSONB,
  variables   JSONB,
  transcript  JSONB,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE caller_profiles (
  id            SERIAL PRIMARY KEY,
  user_id       TEXT NOT NULL UNIQUE,
  name          TEXT,
  quick_bio     TEXT,
  variables     JSONB,
  first_call_at TIMESTAMPTZ,
  last_call_at  TIMESTAMPTZ,
  total_calls   INTEGER NOT NULL DEFAULT 0,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE personality_metrics (
  id          SERIAL PRIMARY KEY,
  user_id     TEXT NOT NULL,
  call_sid    TEXT,
  metrics     JSONB NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE personality_averages (
  id          SERIAL PRIMARY KEY,
  user_id     TEXT NOT NULL UNIQUE,
  averages    JSONB NOT NULL,
  call_count  INTEGER NOT NULL DEFAULT 0,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
`;

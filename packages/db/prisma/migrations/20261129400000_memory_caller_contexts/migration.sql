-- Memory service read model: one row per caller of a tenant with everything the call-start read
-- (POST /v2/context/enriched) returns about that caller: profile, the 5 most recent completed
-- call summaries, the 10 most recent memories and the personality averages, as one JSON value.
--
-- Why: that read runs at the start of every call, and building the value from the four tables
-- takes four index ranges, ~0.5 ms of PostgreSQL CPU per call. Reading one row by its key takes a
-- tenth of that, and on a small shared machine the call-start latency's tail follows the CPU the
-- read needs (docs/benchmarks.md). Writes are rare next to reads.
--
-- How it stays true: statement-level triggers on memories, call_summaries, caller_profiles and
-- personality_averages note which callers a transaction touched (caller_context_refreshes, once
-- per caller and transaction); a deferred constraint trigger rebuilds those callers' rows when the
-- transaction commits, and removes the notes. So a reader never sees the read model disagree with
-- committed data, whatever wrote it (the API, the summarization worker, caller erasure, the legacy
-- import, seeds). A caller with nothing left (after erasure) has no row. A transaction reading
-- caller_contexts before it commits sees the value from before its own writes; nothing does that
-- (the call-start read is its own statement).
--
-- Why at commit and not after each statement: a refresh locks the caller's row. Taken after each
-- statement, that lock is held from the transaction's first write of the caller until it commits,
-- so a transaction can hold it and then wait for a row another writer of the same caller holds
-- while that writer waits for the lock: a deadlock (an import batch against a live summarization;
-- an erasure against a memory deletion; both are tests). Taken at commit, after the last write,
-- the lock is held only while the refresh runs, and the refresh waits for nothing else.
--
-- Isolation: both tables have a customer_id and the same RLS policies as every tenant table; the
-- functions are SECURITY INVOKER, so a refresh reads and writes as the role that made the change,
-- inside that role's tenant.

-- CreateTable
CREATE TABLE "caller_contexts" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    -- {"profile": ..., "summaries": [...], "memories": [...], "personality": ...}; JSON, not JSONB:
    -- it is only ever returned whole, and JSON is returned as stored, without a conversion.
    "context" JSON NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "caller_contexts_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "caller_context_refreshes" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- The noting transaction: a caller is noted once per transaction.
    "transaction_id" BIGINT NOT NULL DEFAULT txid_current(),
    "user_id" TEXT NOT NULL,

    CONSTRAINT "caller_context_refreshes_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "caller_contexts_customer_id_user_id_key" ON "caller_contexts"("customer_id", "user_id");
CREATE UNIQUE INDEX "caller_context_refreshes_transaction_caller_key" ON "caller_context_refreshes"("transaction_id", "customer_id", "user_id");

-- AddForeignKey
ALTER TABLE "caller_contexts" ADD CONSTRAINT "caller_contexts_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "caller_context_refreshes" ADD CONSTRAINT "caller_context_refreshes_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Grants and row-level security, as for every tenant table (20261129000100_tenant_isolation).
-- Both roles write: the triggers run as the role whose statement fired them.
DO $$
DECLARE
    table_name TEXT;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['caller_contexts', 'caller_context_refreshes'] LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO neurosphere_app, neurosphere_platform', table_name);
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', table_name);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', table_name);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I AS PERMISSIVE FOR ALL TO neurosphere_app '
            'USING (customer_id = NULLIF(current_setting(''app.customer_id'', true), '''')::integer) '
            'WITH CHECK (customer_id = NULLIF(current_setting(''app.customer_id'', true), '''')::integer)',
            table_name);
        EXECUTE format(
            'CREATE POLICY platform_all_rows ON %I AS PERMISSIVE FOR ALL TO neurosphere_platform '
            'USING (true) WITH CHECK (true)',
            table_name);
    END LOOP;
END
$$;

-- What the read model holds for one caller, built from the four tables (NULL when the caller has
-- nothing). The LIMITs are how much history the agent gets: enough to recognize the caller, small
-- enough for the prompt.
CREATE FUNCTION "memory_build_caller_context"(p_customer_id INTEGER, p_user_id TEXT)
RETURNS JSON
LANGUAGE sql
STABLE
SECURITY INVOKER
AS $$
    SELECT CASE
               WHEN parts.profile IS NULL AND parts.summaries IS NULL
                    AND parts.memories IS NULL AND parts.personality IS NULL THEN NULL
               ELSE json_build_object(
                   'profile', parts.profile,
                   'summaries', coalesce(parts.summaries, '[]'::json),
                   'memories', coalesce(parts.memories, '[]'::json),
                   'personality', parts.personality)
           END
      FROM (SELECT
                (SELECT json_build_object('name', p.name, 'variables', p.variables, 'quick_bio', p.quick_bio)
                   FROM public.caller_profiles p
                  WHERE p.customer_id = p_customer_id AND p.user_id = p_user_id) AS profile,
                (SELECT json_agg(s ORDER BY s.created_at DESC)
                   FROM (SELECT call_sid, summary, key_topics, created_at
                           FROM public.call_summaries
                          WHERE customer_id = p_customer_id AND user_id = p_user_id AND status = 'completed'
                          ORDER BY created_at DESC
                          LIMIT 5) s) AS summaries,
                (SELECT json_agg(m ORDER BY m.created_at DESC)
                   FROM (SELECT id, content, kind, created_at
                           FROM public.memories
                          WHERE customer_id = p_customer_id AND user_id = p_user_id
                          ORDER BY created_at DESC
                          LIMIT 10) m) AS memories,
                (SELECT json_build_object('averages', a.averages, 'sample_count', a.sample_count)
                   FROM public.personality_averages a
                  WHERE a.customer_id = p_customer_id AND a.user_id = p_user_id) AS personality) parts
$$;

-- Rebuilds the read model of the given callers (parallel arrays of customer ids and E.164
-- numbers). Concurrent refreshes of one caller must not interleave: under READ COMMITTED each
-- transaction builds from what it can see, so the later commit could otherwise write a value
-- that misses the earlier one's change. So each caller's row is claimed first (inserted when
-- missing, then locked, in key order so two refreshes never deadlock), and the value is built by
-- a later statement, whose snapshot includes every change committed by whoever held the row.
CREATE FUNCTION "memory_refresh_caller_contexts"(p_customer_ids INTEGER[], p_user_ids TEXT[])
RETURNS VOID
LANGUAGE plpgsql
VOLATILE
SECURITY INVOKER
AS $$
BEGIN
    IF p_customer_ids IS NULL OR cardinality(p_customer_ids) = 0 THEN
        RETURN;
    END IF;

    INSERT INTO public.caller_contexts (customer_id, user_id, context)
    SELECT k.customer_id, k.user_id, 'null'::json
      FROM unnest(p_customer_ids, p_user_ids) AS k(customer_id, user_id)
     ORDER BY k.customer_id, k.user_id
        ON CONFLICT (customer_id, user_id) DO NOTHING;

    PERFORM 1
       FROM public.caller_contexts c
       JOIN unnest(p_customer_ids, p_user_ids) AS k(customer_id, user_id)
         ON c.customer_id = k.customer_id AND c.user_id = k.user_id
      ORDER BY c.customer_id, c.user_id
        FOR UPDATE OF c;

    WITH built AS (
        SELECT k.customer_id, k.user_id, public.memory_build_caller_context(k.customer_id, k.user_id) AS context
          FROM unnest(p_customer_ids, p_user_ids) AS k(customer_id, user_id)
    ), refreshed AS (
        UPDATE public.caller_contexts c
           SET context = b.context, updated_at = CURRENT_TIMESTAMP
          FROM built b
         WHERE c.customer_id = b.customer_id AND c.user_id = b.user_id AND b.context IS NOT NULL
    )
    DELETE FROM public.caller_contexts c
     USING built b
     WHERE c.customer_id = b.customer_id AND c.user_id = b.user_id AND b.context IS NULL;
END
$$;

-- The statement triggers' function, shared by the four source tables (each has customer_id and
-- user_id): notes the callers the statement touched, in key order. Transition tables cannot serve
-- a trigger with more than one event, hence one trigger per event below; an UPDATE notes the
-- callers before and after (a row could change caller).
CREATE FUNCTION "memory_caller_contexts_after_write"()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY INVOKER
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO public.caller_context_refreshes (customer_id, user_id)
        SELECT DISTINCT customer_id, user_id FROM new_rows ORDER BY 1, 2
            ON CONFLICT (transaction_id, customer_id, user_id) DO NOTHING;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO public.caller_context_refreshes (customer_id, user_id)
        SELECT DISTINCT customer_id, user_id FROM old_rows ORDER BY 1, 2
            ON CONFLICT (transaction_id, customer_id, user_id) DO NOTHING;
    ELSE
        INSERT INTO public.caller_context_refreshes (customer_id, user_id)
        SELECT customer_id, user_id FROM new_rows
         UNION SELECT customer_id, user_id FROM old_rows
         ORDER BY 1, 2
            ON CONFLICT (transaction_id, customer_id, user_id) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    source_table TEXT;
BEGIN
    FOREACH source_table IN ARRAY ARRAY['memories', 'call_summaries', 'caller_profiles', 'personality_averages'] LOOP
        EXECUTE format(
            'CREATE TRIGGER caller_contexts_after_insert AFTER INSERT ON %I '
            'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION memory_caller_contexts_after_write()', source_table);
        EXECUTE format(
            'CREATE TRIGGER caller_contexts_after_update AFTER UPDATE ON %I '
            'REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION memory_caller_contexts_after_write()', source_table);
        EXECUTE format(
            'CREATE TRIGGER caller_contexts_after_delete AFTER DELETE ON %I '
            'REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
            'EXECUTE FUNCTION memory_caller_contexts_after_write()', source_table);
    END LOOP;
END
$$;

-- At commit: the first firing takes every note of the transaction and refreshes those callers in
-- one call, in key order (set-based for bulk writers, and two bulk writers lock in one order);
-- the later firings of that commit find their notes gone and do nothing.
CREATE FUNCTION "memory_caller_context_refresh_at_commit"()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY INVOKER
AS $$
DECLARE
    customer_ids INTEGER[];
    user_ids TEXT[];
BEGIN
    -- Already taken by an earlier firing of this commit. (Checked by the note's key: looking
    -- for the transaction's notes again would walk every note it already took.)
    IF NOT EXISTS (SELECT 1 FROM public.caller_context_refreshes WHERE customer_id = NEW.customer_id AND id = NEW.id) THEN
        RETURN NULL;
    END IF;
    WITH taken AS (
        DELETE FROM public.caller_context_refreshes
         WHERE transaction_id = NEW.transaction_id
        RETURNING customer_id, user_id
    )
    SELECT array_agg(customer_id ORDER BY customer_id, user_id), array_agg(user_id ORDER BY customer_id, user_id)
      INTO customer_ids, user_ids
      FROM taken;
    PERFORM public.memory_refresh_caller_contexts(customer_ids, user_ids);
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER caller_context_refresh_at_commit
    AFTER INSERT ON "caller_context_refreshes"
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    EXECUTE FUNCTION memory_caller_context_refresh_at_commit();

-- Trigger functions need no EXECUTE grant to fire; the builder and the refresh are called as the
-- role whose statement fired the triggers.
REVOKE ALL ON FUNCTION "memory_build_caller_context"(INTEGER, TEXT) FROM PUBLIC;
REVOKE ALL ON FUNCTION "memory_refresh_caller_contexts"(INTEGER[], TEXT[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION "memory_caller_contexts_after_write"() FROM PUBLIC;
REVOKE ALL ON FUNCTION "memory_caller_context_refresh_at_commit"() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "memory_build_caller_context"(INTEGER, TEXT) TO neurosphere_app, neurosphere_platform;
GRANT EXECUTE ON FUNCTION "memory_refresh_caller_contexts"(INTEGER[], TEXT[]) TO neurosphere_app, neurosphere_platform;

-- Backfill the callers that already exist. The migration user owns the tables but is subject to
-- their RLS (FORCED) unless it is a superuser, so FORCE is lifted for this transaction only.
ALTER TABLE "caller_contexts" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "memories" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "call_summaries" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "caller_profiles" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "personality_averages" NO FORCE ROW LEVEL SECURITY;

SELECT memory_refresh_caller_contexts(
           array_agg(k.customer_id ORDER BY k.customer_id, k.user_id),
           array_agg(k.user_id ORDER BY k.customer_id, k.user_id))
  FROM (SELECT customer_id, user_id FROM memories
        UNION SELECT customer_id, user_id FROM call_summaries
        UNION SELECT customer_id, user_id FROM caller_profiles
        UNION SELECT customer_id, user_id FROM personality_averages) k;

ALTER TABLE "caller_contexts" FORCE ROW LEVEL SECURITY;
ALTER TABLE "memories" FORCE ROW LEVEL SECURITY;
ALTER TABLE "call_summaries" FORCE ROW LEVEL SECURITY;
ALTER TABLE "caller_profiles" FORCE ROW LEVEL SECURITY;
ALTER TABLE "personality_averages" FORCE ROW LEVEL SECURITY;

-- The call-start read becomes the tenant's template pin plus one row by its key. Same contract
-- as before (20261129300100): scopes itself to the tenant like withTenant, refuses a transaction
-- scoped to another tenant, NULL for an unknown tenant; "caller" is NULL for an unknown caller.
CREATE OR REPLACE FUNCTION "memory_enriched_context"(p_customer_id INTEGER, p_user_id TEXT)
RETURNS JSON
LANGUAGE plpgsql
SECURITY INVOKER
AS $$
DECLARE
    scoped_to TEXT := NULLIF(current_setting('app.customer_id', true), '');
BEGIN
    IF p_customer_id IS NULL OR p_customer_id <= 0 THEN
        RAISE EXCEPTION 'memory_enriched_context: customer id must be a positive integer';
    END IF;
    IF scoped_to IS NOT NULL AND scoped_to <> p_customer_id::TEXT THEN
        RAISE EXCEPTION 'memory_enriched_context: the transaction is scoped to another tenant';
    END IF;
    PERFORM set_config('app.customer_id', p_customer_id::TEXT, true);
    RETURN (
        SELECT json_build_object(
            'industry', c.industry,
            'template_version', c.template_version,
            'caller', (SELECT cc.context
                         FROM public.caller_contexts cc
                        WHERE cc.customer_id = p_customer_id AND cc.user_id = p_user_id))
          FROM public.customers c
         WHERE c.id = p_customer_id
    );
END
$$;

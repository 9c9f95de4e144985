-- Memory read model (20261129400000): refresh at commit time instead of after each statement.
--
-- Why: a refresh locks the caller's caller_contexts row. Taken after each statement, that lock
-- was held from a transaction's first write of a caller to its commit, so a transaction could
-- hold it and then wait for a row another writer of the same caller held while that writer
-- waited for the lock: a deadlock (a legacy import batch against a live summarization; erasure
-- against a memory deletion). Taken at commit, after the transaction's last write, the lock is
-- held only while the refresh runs, and the refresh waits for nothing else (it only reads), so
-- the lock can no longer close a cycle.
--
-- How: the statement triggers now only note which callers the transaction touched, once per
-- caller (caller_context_refreshes); a deferred constraint trigger on that table refreshes the
-- noted callers when the transaction commits and removes the notes. The refresh itself is
-- unchanged (memory_refresh_caller_contexts: claim, lock, then build from a fresh snapshot). A
-- transaction reading caller_contexts before it commits sees the value from before its own
-- writes; nothing does that (the call-start read is its own statement).

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
CREATE UNIQUE INDEX "caller_context_refreshes_transaction_caller_key" ON "caller_context_refreshes"("transaction_id", "customer_id", "user_id");

-- AddForeignKey
ALTER TABLE "caller_context_refreshes" ADD CONSTRAINT "caller_context_refreshes_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Grants and row-level security, as for every tenant table. Both roles write: the triggers run as
-- the role whose statement fired them.
GRANT SELECT, INSERT, UPDATE, DELETE ON "caller_context_refreshes" TO neurosphere_app, neurosphere_platform;
ALTER TABLE "caller_context_refreshes" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "caller_context_refreshes" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "caller_context_refreshes" AS PERMISSIVE FOR ALL TO neurosphere_app
    USING (customer_id = NULLIF(current_setting('app.customer_id', true), '')::integer)
    WITH CHECK (customer_id = NULLIF(current_setting('app.customer_id', true), '')::integer);
CREATE POLICY platform_all_rows ON "caller_context_refreshes" AS PERMISSIVE FOR ALL TO neurosphere_platform
    USING (true) WITH CHECK (true);

-- The statement triggers on memories, call_summaries, caller_profiles and personality_averages
-- (same function, same triggers as before) now note the callers in key order.
CREATE OR REPLACE FUNCTION "memory_caller_contexts_after_write"()
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

REVOKE ALL ON FUNCTION "memory_caller_context_refresh_at_commit"() FROM PUBLIC;

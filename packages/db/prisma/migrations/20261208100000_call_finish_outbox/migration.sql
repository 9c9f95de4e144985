-- No lost calls. A calls row is now written when the call is answered (ended_at null: open) and
-- completed when it ends. finish_pending marks an end that was recorded while Redis (where the
-- call's turns live until then) was unreachable: the outbox the orchestrator's reaper retries.
ALTER TABLE "calls" ADD COLUMN "finish_pending" BOOLEAN NOT NULL DEFAULT false;

-- The reaper's only cross-tenant read: WHICH tenants have calls to finish (ids only, never their
-- data): an end waiting in the outbox, or a call open since before open_before (its final status
-- callback may never have come). It then works on each tenant inside withTenant. Owned by the
-- migration user, which needs a read policy of its own on the FORCED table (as for
-- notification_tenants_pending).
CREATE POLICY owner_calls_to_finish ON "calls" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);

CREATE FUNCTION call_tenants_to_finish(open_before TIMESTAMPTZ)
RETURNS TABLE (customer_id INTEGER)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT DISTINCT c.customer_id
    FROM public.calls AS c
    WHERE c.finish_pending OR (c.ended_at IS NULL AND c.started_at < open_before)
    LIMIT 1000
$$;

REVOKE ALL ON FUNCTION call_tenants_to_finish(TIMESTAMPTZ) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION call_tenants_to_finish(TIMESTAMPTZ) TO neurosphere_app;

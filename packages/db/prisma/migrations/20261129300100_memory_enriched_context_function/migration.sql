-- Memory service read path (POST /v2/context/enriched, at the start of every call): everything
-- the agent needs about one caller of one tenant in ONE statement, so the hot path is a single
-- round trip with a plan PL/pgSQL caches per connection, instead of withTenant's four
-- (BEGIN, set_config, SELECT, COMMIT).
--
-- Isolation is unchanged: the function is SECURITY INVOKER (RLS applies to the caller, the app
-- role) and sets app.customer_id transaction-locally exactly as withTenant does before it reads
-- anything; every read also names customer_id explicitly (and uses the indexes that lead with it).
-- Called in autocommit, the setting dies with the statement. It refuses to run inside a
-- transaction already scoped to another tenant, so it can never re-scope someone else's work.

-- CreateFunction
CREATE FUNCTION "memory_enriched_context"(p_customer_id INTEGER, p_user_id TEXT)
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
            'profile', (
                SELECT json_build_object('name', p.name, 'variables', p.variables, 'quick_bio', p.quick_bio)
                  FROM public.caller_profiles p
                 WHERE p.customer_id = p_customer_id AND p.user_id = p_user_id),
            'summaries', (
                SELECT coalesce(json_agg(s ORDER BY s.created_at DESC), '[]'::json)
                  FROM (SELECT call_sid, summary, key_topics, created_at
                          FROM public.call_summaries
                         WHERE customer_id = p_customer_id AND user_id = p_user_id AND status = 'completed'
                         ORDER BY created_at DESC
                         LIMIT 5) s),
            'memories', (
                SELECT coalesce(json_agg(m ORDER BY m.created_at DESC), '[]'::json)
                  FROM (SELECT id, content, kind, created_at
                          FROM public.memories
                         WHERE customer_id = p_customer_id AND user_id = p_user_id
                         ORDER BY created_at DESC
                         LIMIT 10) m),
            'personality', (
                SELECT json_build_object('averages', a.averages, 'sample_count', a.sample_count)
                  FROM public.personality_averages a
                 WHERE a.customer_id = p_customer_id AND a.user_id = p_user_id))
          FROM public.customers c
         WHERE c.id = p_customer_id
    );
END
$$;

REVOKE ALL ON FUNCTION "memory_enriched_context"(INTEGER, TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "memory_enriched_context"(INTEGER, TEXT) TO neurosphere_app;

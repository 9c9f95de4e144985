-- Tenant isolation: roles, grants, row-level security and the number-routing function.
--
-- Invariants (checked by src/rls.int.test.ts):
-- * neurosphere_app (DATABASE_URL, all service traffic) owns nothing, has no BYPASSRLS, is not a
--   member of any other role, and sees only the rows of current_setting('app.customer_id'),
--   which withTenant() sets transaction-locally. Unset or empty setting => no rows, and every
--   write fails its WITH CHECK: isolation fails closed.
-- * neurosphere_platform (DATABASE_PLATFORM_URL) sees all rows, and is used only through
--   withPlatform(), which writes platform_audit_log in the same transaction.
-- * The migration user owns the tables. RLS is FORCED, so the owner is subject to it as well
--   unless it is a superuser; it only runs DDL.
-- Roles are cluster-wide: they are created once and re-checked by every database's migration.
-- LOGIN and passwords are set by the migrate command from DATABASE_URL / DATABASE_PLATFORM_URL.

-- Roles
DO $$
DECLARE
    role_name TEXT;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['neurosphere_app', 'neurosphere_platform'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOREPLICATION', role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- created at this moment by the migration of another database in the cluster
            END;
        ELSIF EXISTS (
            SELECT 1 FROM pg_roles
            WHERE rolname = role_name
              AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb OR rolreplication)
        ) THEN
            EXECUTE format('ALTER ROLE %I NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOREPLICATION', role_name);
        END IF;
    END LOOP;

    -- Neither role may act as the other (no SET ROLE, no inherited privileges).
    IF pg_has_role('neurosphere_app', 'neurosphere_platform', 'MEMBER') THEN
        REVOKE neurosphere_platform FROM neurosphere_app;
    END IF;
    IF pg_has_role('neurosphere_platform', 'neurosphere_app', 'MEMBER') THEN
        REVOKE neurosphere_app FROM neurosphere_platform;
    END IF;
END
$$;

-- Nobody but the owner creates objects in the schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO neurosphere_app, neurosphere_platform;

-- Grants: app role (tenant-scoped service traffic)
GRANT SELECT, INSERT, UPDATE, DELETE ON
    "phone_numbers", "tenant_credentials", "memories", "call_summaries", "caller_profiles",
    "personality_metrics", "personality_averages", "calls", "call_turns", "call_messages",
    "sms_messages", "sms_opt_outs", "sms_templates", "memberships", "usage_records"
TO neurosphere_app;
-- The tenant audit trail is append-only for services.
GRANT SELECT, INSERT ON "audit_log" TO neurosphere_app;
-- A tenant reads its own customers row and may edit its configuration, but not its id, its
-- status (suspension is a platform decision) or the timestamps it did not write.
GRANT SELECT ON "customers" TO neurosphere_app;
GRANT UPDATE (
    "business_name", "agent_name", "greeting", "voice_id", "personality", "industry",
    "template_version", "transfer_number", "speech_timeout_seconds", "openai_model", "help_text",
    "settings", "sms_ai_reply_enabled", "sms_rate_limit_per_minute", "updated_at"
) ON "customers" TO neurosphere_app;
GRANT SELECT ON "industry_templates", "industry_template_versions" TO neurosphere_app;

-- Grants: platform role (onboarding, admin, seed, legacy import)
GRANT SELECT, INSERT, UPDATE, DELETE ON
    "customers", "phone_numbers", "tenant_credentials", "memories", "call_summaries",
    "caller_profiles", "personality_metrics", "personality_averages", "calls", "call_turns",
    "call_messages", "sms_messages", "sms_opt_outs", "sms_templates", "memberships", "audit_log",
    "usage_records", "industry_templates", "industry_template_versions", "admin_users"
TO neurosphere_platform;
GRANT USAGE, SELECT ON SEQUENCE "customers_id_seq" TO neurosphere_platform;
-- The platform audit trail is append-only.
GRANT SELECT, INSERT ON "platform_audit_log" TO neurosphere_platform;

-- Row-level security on every tenant-owned table (and on customers, keyed by id).
DO $$
DECLARE
    table_name TEXT;
BEGIN
    FOREACH table_name IN ARRAY ARRAY[
        'phone_numbers', 'tenant_credentials', 'memories', 'call_summaries', 'caller_profiles',
        'personality_metrics', 'personality_averages', 'calls', 'call_turns', 'call_messages',
        'sms_messages', 'sms_opt_outs', 'sms_templates', 'memberships', 'audit_log', 'usage_records'
    ] LOOP
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

ALTER TABLE "customers" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "customers" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "customers" AS PERMISSIVE FOR ALL TO neurosphere_app
    USING ("id" = NULLIF(current_setting('app.customer_id', true), '')::integer)
    WITH CHECK ("id" = NULLIF(current_setting('app.customer_id', true), '')::integer);
CREATE POLICY platform_all_rows ON "customers" AS PERMISSIVE FOR ALL TO neurosphere_platform
    USING (true) WITH CHECK (true);

-- Number routing. The gateway must find the tenant from the called number before it knows the
-- tenant, so this SECURITY DEFINER function (owned by the migration user) reads across tenants
-- and returns only (customer_id, status) for one exact number. Because RLS is FORCED, the owner
-- needs read policies of its own on the two tables when it is not a superuser; CURRENT_USER is
-- resolved once, here, to the owner.
CREATE POLICY owner_number_lookup ON "phone_numbers" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);
CREATE POLICY owner_number_lookup ON "customers" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);

CREATE FUNCTION lookup_tenant_by_number(e164 TEXT)
RETURNS TABLE (customer_id INTEGER, status customer_status)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT c.id, c.status
    FROM public.phone_numbers AS p
    JOIN public.customers AS c ON c.id = p.customer_id
    WHERE p.e164 = lookup_tenant_by_number.e164
$$;

REVOKE ALL ON FUNCTION lookup_tenant_by_number(TEXT) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION lookup_tenant_by_number(TEXT) TO neurosphere_app, neurosphere_platform;

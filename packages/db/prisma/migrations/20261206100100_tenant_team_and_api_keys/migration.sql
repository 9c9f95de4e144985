-- A tenant's team invitations and API keys: tenant-owned tables with the same isolation as every
-- other (customer_id, composite primary key, RLS enabled and forced, tenant_isolation for the app
-- role and platform_all_rows for the platform role).
--
-- Both hold one-time or long-lived secrets as SHA-256 of a 256-bit random secret. Their tokens
-- carry the tenant and the row id in clear (nsi_<customer_id>-<id>_<secret>,
-- nsk_<customer_id>-<id>_<secret>), so a token is found by its primary key inside its own tenant,
-- never by a lookup across tenants.

-- CreateTable
CREATE TABLE "tenant_invitations" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- Lower-cased.
    "email" TEXT NOT NULL,
    "role" "membership_role" NOT NULL,
    "secret_hash" BYTEA NOT NULL,
    -- Audit actor of who invited (admin:<id>).
    "invited_by" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_invitations_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "tenant_api_keys" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    -- Values of apiKeyScopes in packages/contracts (e.g. calls:read).
    "scopes" TEXT[],
    "secret_hash" BYTEA NOT NULL,
    "created_by" TEXT NOT NULL,
    -- Written at most once a minute per key, so a busy key does not write on every request.
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_api_keys_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateIndex
CREATE INDEX "tenant_invitations_customer_id_email_idx" ON "tenant_invitations"("customer_id", "email");

-- CreateIndex
CREATE INDEX "tenant_api_keys_customer_id_created_at_idx" ON "tenant_api_keys"("customer_id", "created_at");

-- AddForeignKey
ALTER TABLE "tenant_invitations" ADD CONSTRAINT "tenant_invitations_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_api_keys" ADD CONSTRAINT "tenant_api_keys_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Grants
GRANT SELECT, INSERT, UPDATE, DELETE ON "tenant_invitations", "tenant_api_keys" TO neurosphere_app, neurosphere_platform;

-- Row-level security, exactly as 20261129000100_tenant_isolation sets it on every tenant table.
DO $$
DECLARE
    table_name TEXT;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['tenant_invitations', 'tenant_api_keys'] LOOP
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

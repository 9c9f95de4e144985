-- Support sessions: a platform admin reads one tenant's data for a limited time, with a written
-- reason (issue 15). While a session is open the admin-api answers that tenant's routes to that
-- admin, read-only unless a tenant owner grants writes for this one session; every request is
-- written to both audit logs. A tenant table like any other (customer_id, RLS), so the tenant's
-- owners list and end their sessions through withTenant, and the check on each request runs inside
-- the tenant too.

-- CreateTable
CREATE TABLE "support_sessions" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- The platform admin it lets in (no foreign key: admin_users is a platform table the app role
    -- cannot read) and their email when it was opened, for the tenant's owners to see.
    "admin_user_id" UUID NOT NULL,
    "admin_email" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- At most 60 minutes after opened_at (checked by the admin-api when it opens one).
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    -- Audit actor of who ended it early (the admin, or a tenant owner).
    "ended_by" TEXT,
    -- A tenant owner let this session write (admin-level routes); null: read-only.
    "writes_granted_at" TIMESTAMPTZ(3),
    "writes_granted_by" TEXT,

    CONSTRAINT "support_sessions_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateIndex
CREATE INDEX "support_sessions_customer_id_admin_user_id_expires_at_idx" ON "support_sessions"("customer_id", "admin_user_id", "expires_at");

-- CreateIndex
CREATE INDEX "support_sessions_customer_id_opened_at_idx" ON "support_sessions"("customer_id", "opened_at");

-- AddForeignKey
ALTER TABLE "support_sessions" ADD CONSTRAINT "support_sessions_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Grants
GRANT SELECT, INSERT, UPDATE, DELETE ON "support_sessions" TO neurosphere_app, neurosphere_platform;

-- Row-level security, exactly as 20261129000100_tenant_isolation sets it on every tenant table.
ALTER TABLE "support_sessions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "support_sessions" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "support_sessions" AS PERMISSIVE FOR ALL TO neurosphere_app
    USING (customer_id = NULLIF(current_setting('app.customer_id', true), '')::integer)
    WITH CHECK (customer_id = NULLIF(current_setting('app.customer_id', true), '')::integer);
CREATE POLICY platform_all_rows ON "support_sessions" AS PERMISSIVE FOR ALL TO neurosphere_platform
    USING (true) WITH CHECK (true);

-- One-time tokens the platform hands out: an owner's invitation (onboarding) and a platform
-- admin's set-password link (create-platform-admin, adding a platform admin). Both tables have the
-- shape of the team-invitation and password-reset flow of the admin sessions work (tenant
-- invitations and admin_password_resets), so that flow takes them over as they are.
--
-- Tokens are stored as SHA-256 of a 256-bit random secret: a leaked table lets nobody in.
-- tenant_invitations is a tenant table (customer_id, composite primary key, RLS like every other);
-- admin_password_resets is global and reachable by the platform role only.

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
CREATE TABLE "admin_password_resets" (
    -- The token's public part: nsp_<id without dashes>_<secret>.
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "admin_user_id" UUID NOT NULL,
    "secret_hash" BYTEA NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admin_password_resets_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tenant_invitations_customer_id_email_idx" ON "tenant_invitations"("customer_id", "email");

-- CreateIndex
CREATE INDEX "admin_password_resets_admin_user_id_idx" ON "admin_password_resets"("admin_user_id");

-- AddForeignKey
ALTER TABLE "tenant_invitations" ADD CONSTRAINT "tenant_invitations_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "admin_password_resets" ADD CONSTRAINT "admin_password_resets_admin_user_id_fkey" FOREIGN KEY ("admin_user_id") REFERENCES "admin_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Grants
GRANT SELECT, INSERT, UPDATE, DELETE ON "tenant_invitations" TO neurosphere_app, neurosphere_platform;
GRANT SELECT, INSERT, UPDATE, DELETE ON "admin_password_resets" TO neurosphere_platform;

-- Row-level security, exactly as 20261129000100_tenant_isolation sets it on every tenant table.
ALTER TABLE "tenant_invitations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "tenant_invitations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "tenant_invitations" AS PERMISSIVE FOR ALL TO neurosphere_app
    USING (customer_id = NULLIF(current_setting('app.customer_id', true), '')::integer)
    WITH CHECK (customer_id = NULLIF(current_setting('app.customer_id', true), '')::integer);
CREATE POLICY platform_all_rows ON "tenant_invitations" AS PERMISSIVE FOR ALL TO neurosphere_platform
    USING (true) WITH CHECK (true);

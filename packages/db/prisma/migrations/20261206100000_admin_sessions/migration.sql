-- Admin sessions: a login opens a session (one refresh-token family); each refresh exchanges the
-- presented refresh token for a new one. Every token ever issued for a session is kept (hashed),
-- so presenting one that was already exchanged is recognised as reuse and ends the whole session.
-- Password-reset tokens live beside them. All three are global (an admin user spans tenants) and
-- reachable only by the platform role, through withPlatform; the app role has no grant on them.
-- Tokens are stored as SHA-256 of a 256-bit random secret: a leaked table does not let anyone in.

-- CreateEnum
CREATE TYPE "admin_session_transport" AS ENUM ('bearer', 'cookie');

-- CreateTable
CREATE TABLE "admin_sessions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "admin_user_id" UUID NOT NULL,
    "transport" "admin_session_transport" NOT NULL,
    -- The session ends here whatever happens (ADMIN_SESSION_MAX_AGE_SECONDS after login).
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "last_refreshed_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    -- logout, logout_all, password_changed, password_reset, refresh_token_reused
    "revoked_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admin_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "admin_refresh_tokens" (
    -- The token's public part: nsr_<id without dashes>_<secret>.
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "session_id" UUID NOT NULL,
    "secret_hash" BYTEA NOT NULL,
    -- Unused for ADMIN_SESSION_IDLE_TIMEOUT_SECONDS, the token (and so the session) is dead.
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    -- Set when exchanged for the next token; presenting it again is reuse.
    "rotated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admin_refresh_tokens_pkey" PRIMARY KEY ("id")
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
CREATE INDEX "admin_sessions_admin_user_id_idx" ON "admin_sessions"("admin_user_id");

-- CreateIndex
CREATE INDEX "admin_refresh_tokens_session_id_idx" ON "admin_refresh_tokens"("session_id");

-- CreateIndex
CREATE INDEX "admin_password_resets_admin_user_id_idx" ON "admin_password_resets"("admin_user_id");

-- AddForeignKey
ALTER TABLE "admin_sessions" ADD CONSTRAINT "admin_sessions_admin_user_id_fkey" FOREIGN KEY ("admin_user_id") REFERENCES "admin_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "admin_refresh_tokens" ADD CONSTRAINT "admin_refresh_tokens_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "admin_sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "admin_password_resets" ADD CONSTRAINT "admin_password_resets_admin_user_id_fkey" FOREIGN KEY ("admin_user_id") REFERENCES "admin_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Grants: platform role only (login, refresh, logout and resets run through withPlatform).
GRANT SELECT, INSERT, UPDATE, DELETE ON "admin_sessions", "admin_refresh_tokens", "admin_password_resets" TO neurosphere_platform;

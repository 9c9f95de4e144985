-- Platform operations (issue 15): every tenant gets a Twilio account of one of three kinds, numbers
-- are bought or attached through Twilio with their webhooks pointed at this platform, tenants keep
-- their own provider keys write-only, and onboarding is one idempotent, resumable operation.
--
-- * twilio_account_kind gains 'subaccount': a Twilio sub-account the platform created for the
--   tenant under its own account. Its auth token is a tenant_credentials row of the new provider
--   'twilio_subaccount' (encrypted like every credential), kept apart from the tenant's own
--   account ('twilio', BYOK) so that setting or removing a BYOK key never touches the sub-account.
-- * customers.twilio_account: the kind of account the tenant's new numbers go into. A platform
--   decision like status: the app role gets no UPDATE on it.
-- * tenant_credentials.last_four / verified_at: what may be shown of a secret (its last four
--   characters) and when the provider last accepted it.
-- * phone_numbers.twilio_sid / origin / webhooks_base_url / webhooks_set_at: the Twilio
--   IncomingPhoneNumber behind a number, whether the platform bought it (released at offboarding)
--   or attached one the account already had, and the public base URL its webhooks were last set
--   to (a number whose base URL differs from PUBLIC_BASE_URL needs "repair webhooks").
-- * onboarding_requests: one row per Idempotency-Key of POST /v1/platform/tenants. A global table
--   (the tenant does not exist until the last step), written by the platform role only. `state`
--   holds what each finished step produced (sub-account SID, the number chosen and its SID), never
--   a secret, so that a retry resumes after the last finished step and never buys a second
--   number. `lease_expires_at` keeps two requests with one key from running the steps at once.
--
-- ALTER TYPE ... ADD VALUE runs inside this migration's transaction (PostgreSQL 12+); the new
-- values are not used before it commits.

-- AlterEnum
ALTER TYPE "twilio_account_kind" ADD VALUE 'subaccount';

-- AlterEnum
ALTER TYPE "credential_provider" ADD VALUE 'twilio_subaccount';

-- CreateEnum
CREATE TYPE "phone_number_origin" AS ENUM ('bought', 'attached');

-- CreateEnum
CREATE TYPE "onboarding_status" AS ENUM ('in_progress', 'completed', 'failed');

-- AlterTable
ALTER TABLE "customers" ADD COLUMN "twilio_account" "twilio_account_kind" NOT NULL DEFAULT 'platform';

-- AlterTable
ALTER TABLE "tenant_credentials" ADD COLUMN "last_four" TEXT,
ADD COLUMN "verified_at" TIMESTAMPTZ(3);

-- AlterTable: numbers that existed before were put there by hand or by the seed, not bought here.
ALTER TABLE "phone_numbers" ADD COLUMN "twilio_sid" TEXT,
ADD COLUMN "origin" "phone_number_origin" NOT NULL DEFAULT 'attached',
ADD COLUMN "webhooks_base_url" TEXT,
ADD COLUMN "webhooks_set_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "onboarding_requests" (
    "idempotency_key" TEXT NOT NULL,
    -- SHA-256 of the onboarding document without its secrets: the same key with another document is refused.
    "request_hash" TEXT NOT NULL,
    "status" "onboarding_status" NOT NULL DEFAULT 'in_progress',
    "state" JSONB NOT NULL DEFAULT '{}',
    "customer_id" INTEGER,
    "response" JSONB,
    "last_error" JSONB,
    "lease_expires_at" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "onboarding_requests_pkey" PRIMARY KEY ("idempotency_key")
);

-- CreateIndex
CREATE INDEX "onboarding_requests_created_at_idx" ON "onboarding_requests"("created_at");

-- Grants: onboarding runs as the platform role only; the app role has no access.
GRANT SELECT, INSERT, UPDATE, DELETE ON "onboarding_requests" TO neurosphere_platform;

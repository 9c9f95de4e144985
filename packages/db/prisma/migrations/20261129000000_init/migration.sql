-- CreateEnum
CREATE TYPE "customer_status" AS ENUM ('active', 'suspended');

-- CreateEnum
CREATE TYPE "phone_number_purpose" AS ENUM ('voice', 'sms', 'voice_and_sms');

-- CreateEnum
CREATE TYPE "twilio_account_kind" AS ENUM ('platform', 'byok');

-- CreateEnum
CREATE TYPE "credential_provider" AS ENUM ('twilio', 'openai', 'elevenlabs');

-- CreateEnum
CREATE TYPE "call_turn_role" AS ENUM ('user', 'assistant', 'system');

-- CreateEnum
CREATE TYPE "call_message_kind" AS ENUM ('message', 'callback');

-- CreateEnum
CREATE TYPE "call_message_status" AS ENUM ('new', 'handled');

-- CreateEnum
CREATE TYPE "sms_direction" AS ENUM ('inbound', 'outbound');

-- CreateEnum
CREATE TYPE "sms_status" AS ENUM ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'received');

-- CreateEnum
CREATE TYPE "membership_role" AS ENUM ('owner', 'admin', 'viewer');

-- CreateTable
CREATE TABLE "customers" (
    "id" SERIAL NOT NULL,
    "business_name" TEXT NOT NULL,
    "agent_name" TEXT NOT NULL,
    "greeting" TEXT NOT NULL,
    "voice_id" TEXT,
    "personality" TEXT NOT NULL DEFAULT '',
    "industry" TEXT NOT NULL,
    "template_version" INTEGER NOT NULL,
    "status" "customer_status" NOT NULL DEFAULT 'active',
    "suspended_message" TEXT,
    "transfer_number" TEXT,
    "speech_timeout_seconds" INTEGER NOT NULL DEFAULT 5,
    "openai_model" TEXT,
    "help_text" TEXT,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "sms_ai_reply_enabled" BOOLEAN NOT NULL DEFAULT false,
    "sms_rate_limit_per_minute" INTEGER NOT NULL DEFAULT 10,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "phone_numbers" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "e164" TEXT NOT NULL,
    "purpose" "phone_number_purpose" NOT NULL DEFAULT 'voice_and_sms',
    "twilio_account" "twilio_account_kind" NOT NULL DEFAULT 'platform',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "phone_numbers_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "tenant_credentials" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "provider" "credential_provider" NOT NULL,
    "account_identifier" TEXT,
    "secret_ciphertext" BYTEA NOT NULL,
    "secret_iv" BYTEA NOT NULL,
    "secret_auth_tag" BYTEA NOT NULL,
    "key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tenant_credentials_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "memories" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'fact',
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "source_call_sid" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memories_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "call_summaries" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "call_sid" TEXT NOT NULL,
    "thread_id" TEXT,
    "user_id" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "key_topics" JSONB NOT NULL DEFAULT '[]',
    "variables" JSONB NOT NULL DEFAULT '{}',
    "raw_transcript" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_summaries_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "caller_profiles" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    "name" TEXT,
    "variables" JSONB NOT NULL DEFAULT '{}',
    "quick_bio" TEXT,
    "first_call_at" TIMESTAMPTZ(3),
    "last_call_at" TIMESTAMPTZ(3),
    "call_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "caller_profiles_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "personality_metrics" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "call_sid" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "scores" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "personality_metrics_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "personality_averages" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" TEXT NOT NULL,
    "averages" JSONB NOT NULL,
    "sample_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "personality_averages_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "calls" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "call_sid" TEXT NOT NULL,
    "from_number" TEXT NOT NULL,
    "to_number" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'in-progress',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "duration_seconds" INTEGER,
    "outcome" TEXT,
    "transcript_submitted_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "calls_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "call_turns" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "call_id" UUID NOT NULL,
    "turn_index" INTEGER NOT NULL,
    "role" "call_turn_role" NOT NULL,
    "text" TEXT NOT NULL,
    "llm_ms" INTEGER,
    "tts_ms" INTEGER,
    "total_ms" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_turns_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "call_messages" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "call_sid" TEXT,
    "kind" "call_message_kind" NOT NULL,
    "caller_number" TEXT NOT NULL,
    "caller_name" TEXT,
    "message" TEXT NOT NULL,
    "callback_time" TEXT,
    "status" "call_message_status" NOT NULL DEFAULT 'new',
    "handled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "call_messages_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "sms_messages" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "direction" "sms_direction" NOT NULL,
    "from_number" TEXT NOT NULL,
    "to_number" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" "sms_status" NOT NULL,
    "twilio_sid" TEXT,
    "error_code" TEXT,
    "error_message" TEXT,
    "idempotency_key" TEXT,
    "template_name" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sent_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "received_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sms_messages_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "sms_opt_outs" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "phone" TEXT NOT NULL,
    "keyword" TEXT,
    "opted_out_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sms_opt_outs_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "sms_templates" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sms_templates_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "memberships" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "admin_user_id" UUID NOT NULL,
    "role" "membership_role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memberships_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "usage_records" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "kind" TEXT NOT NULL,
    "quantity" DECIMAL(18,4) NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "call_sid" TEXT,
    "idempotency_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_records_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "industry_templates" (
    "industry" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "industry_templates_pkey" PRIMARY KEY ("industry")
);

-- CreateTable
CREATE TABLE "industry_template_versions" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "industry" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "definition" JSONB NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "industry_template_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "admin_users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "password_hash" TEXT,
    "is_platform_admin" BOOLEAN NOT NULL DEFAULT false,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "admin_users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "platform_audit_log" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "customer_id" INTEGER,
    "details" JSONB NOT NULL DEFAULT '{}',
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "phone_numbers_e164_key" ON "phone_numbers"("e164");

-- CreateIndex
CREATE UNIQUE INDEX "tenant_credentials_customer_id_provider_key" ON "tenant_credentials"("customer_id", "provider");

-- CreateIndex
CREATE INDEX "memories_customer_id_user_id_created_at_idx" ON "memories"("customer_id", "user_id", "created_at");

-- CreateIndex
CREATE INDEX "call_summaries_customer_id_user_id_created_at_idx" ON "call_summaries"("customer_id", "user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "call_summaries_customer_id_call_sid_key" ON "call_summaries"("customer_id", "call_sid");

-- CreateIndex
CREATE UNIQUE INDEX "caller_profiles_customer_id_user_id_key" ON "caller_profiles"("customer_id", "user_id");

-- CreateIndex
CREATE INDEX "personality_metrics_customer_id_user_id_created_at_idx" ON "personality_metrics"("customer_id", "user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "personality_metrics_customer_id_call_sid_key" ON "personality_metrics"("customer_id", "call_sid");

-- CreateIndex
CREATE UNIQUE INDEX "personality_averages_customer_id_user_id_key" ON "personality_averages"("customer_id", "user_id");

-- CreateIndex
CREATE INDEX "calls_customer_id_started_at_idx" ON "calls"("customer_id", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "calls_customer_id_call_sid_key" ON "calls"("customer_id", "call_sid");

-- CreateIndex
CREATE UNIQUE INDEX "call_turns_customer_id_call_id_turn_index_key" ON "call_turns"("customer_id", "call_id", "turn_index");

-- CreateIndex
CREATE INDEX "call_messages_customer_id_status_created_at_idx" ON "call_messages"("customer_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "sms_messages_customer_id_to_number_created_at_idx" ON "sms_messages"("customer_id", "to_number", "created_at");

-- CreateIndex
CREATE INDEX "sms_messages_customer_id_from_number_created_at_idx" ON "sms_messages"("customer_id", "from_number", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "sms_messages_customer_id_idempotency_key_key" ON "sms_messages"("customer_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "sms_messages_customer_id_twilio_sid_key" ON "sms_messages"("customer_id", "twilio_sid");

-- CreateIndex
CREATE UNIQUE INDEX "sms_opt_outs_customer_id_phone_key" ON "sms_opt_outs"("customer_id", "phone");

-- CreateIndex
CREATE UNIQUE INDEX "sms_templates_customer_id_name_key" ON "sms_templates"("customer_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "memberships_customer_id_admin_user_id_key" ON "memberships"("customer_id", "admin_user_id");

-- CreateIndex
CREATE INDEX "audit_log_customer_id_created_at_idx" ON "audit_log"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "usage_records_customer_id_kind_occurred_at_idx" ON "usage_records"("customer_id", "kind", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "usage_records_customer_id_idempotency_key_key" ON "usage_records"("customer_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "industry_template_versions_industry_version_key" ON "industry_template_versions"("industry", "version");

-- CreateIndex
CREATE UNIQUE INDEX "admin_users_email_key" ON "admin_users"("email");

-- CreateIndex
CREATE INDEX "platform_audit_log_customer_id_created_at_idx" ON "platform_audit_log"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "platform_audit_log_created_at_idx" ON "platform_audit_log"("created_at");

-- AddForeignKey
ALTER TABLE "customers" ADD CONSTRAINT "customers_industry_template_version_fkey" FOREIGN KEY ("industry", "template_version") REFERENCES "industry_template_versions"("industry", "version") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "phone_numbers" ADD CONSTRAINT "phone_numbers_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tenant_credentials" ADD CONSTRAINT "tenant_credentials_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memories" ADD CONSTRAINT "memories_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_summaries" ADD CONSTRAINT "call_summaries_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "caller_profiles" ADD CONSTRAINT "caller_profiles_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "personality_metrics" ADD CONSTRAINT "personality_metrics_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "personality_averages" ADD CONSTRAINT "personality_averages_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "calls" ADD CONSTRAINT "calls_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_turns" ADD CONSTRAINT "call_turns_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_turns" ADD CONSTRAINT "call_turns_customer_id_call_id_fkey" FOREIGN KEY ("customer_id", "call_id") REFERENCES "calls"("customer_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "call_messages" ADD CONSTRAINT "call_messages_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sms_messages" ADD CONSTRAINT "sms_messages_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sms_opt_outs" ADD CONSTRAINT "sms_opt_outs_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sms_templates" ADD CONSTRAINT "sms_templates_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_admin_user_id_fkey" FOREIGN KEY ("admin_user_id") REFERENCES "admin_users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "usage_records" ADD CONSTRAINT "usage_records_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "industry_template_versions" ADD CONSTRAINT "industry_template_versions_industry_fkey" FOREIGN KEY ("industry") REFERENCES "industry_templates"("industry") ON DELETE RESTRICT ON UPDATE CASCADE;

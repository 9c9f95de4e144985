-- Call quality (issue 18) and the agent settings a business needs (issue 16, item 9).
--
-- customers: the tenant's language and time zone (speech recognition, fallback voice, the
-- agent's sense of "today"), how a caller proves who they are before stored details are used,
-- the model's temperature, the emergency sentence, speech-recognition hints, the SMS template the
-- agent texts with, business hours with after-hours behaviour, transfer numbers by time of day,
-- and the business facts the agent may answer from. Hours, schedule and knowledge are JSON whose
-- shape the contracts package validates on every write and read (one schema, three readers).
-- Every new column has a default or is nullable, so the previous release keeps working on this
-- schema (expand step).
--
-- call_messages: the callback number the caller gave (it may differ from the number they call
-- from), and whether the message was taken because a transfer went unanswered.

-- CreateEnum
CREATE TYPE "caller_verification_policy" AS ENUM ('none', 'name', 'name_and_fact');

-- CreateEnum
CREATE TYPE "after_hours_mode" AS ENUM ('answer', 'messages_only');

-- AlterTable
ALTER TABLE "customers"
    ADD COLUMN "language" TEXT NOT NULL DEFAULT 'en-US',
    ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    ADD COLUMN "say_voice" TEXT,
    ADD COLUMN "llm_temperature" DOUBLE PRECISION,
    ADD COLUMN "caller_verification" "caller_verification_policy" NOT NULL DEFAULT 'name_and_fact',
    ADD COLUMN "emergency_message" TEXT,
    ADD COLUMN "speech_hints" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    ADD COLUMN "call_sms_template" TEXT,
    ADD COLUMN "business_hours" JSONB,
    ADD COLUMN "after_hours_mode" "after_hours_mode" NOT NULL DEFAULT 'answer',
    ADD COLUMN "after_hours_greeting" TEXT,
    ADD COLUMN "transfer_schedule" JSONB NOT NULL DEFAULT '[]',
    ADD COLUMN "business_knowledge" JSONB;

-- AlterTable
ALTER TABLE "call_messages"
    ADD COLUMN "callback_number" TEXT,
    ADD COLUMN "transfer_failed" BOOLEAN NOT NULL DEFAULT false;

-- A tenant admin (app role) may edit these configuration columns of its own row, like the others.
GRANT UPDATE (
    "language", "time_zone", "say_voice", "llm_temperature", "caller_verification", "emergency_message",
    "speech_hints", "call_sms_template", "business_hours", "after_hours_mode", "after_hours_greeting",
    "transfer_schedule", "business_knowledge"
) ON "customers" TO neurosphere_app;

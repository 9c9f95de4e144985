-- Memory service: a call's transcript is stored (status 'pending') when it is posted to
-- POST /v2/process-call, before the summarization job runs; the worker fills in the summary and
-- flips the row to 'completed' in the same transaction as the profile and personality updates.
-- The row is the job's source of truth (payloads carry only ids) and what makes a repeated post
-- or a retried job idempotent. Rows written without a status (seed, tests, legacy import) are
-- finished summaries, hence the default.

-- CreateEnum
CREATE TYPE "call_summary_status" AS ENUM ('pending', 'completed');

-- AlterTable
ALTER TABLE "call_summaries" ADD COLUMN "status" "call_summary_status" NOT NULL DEFAULT 'completed';

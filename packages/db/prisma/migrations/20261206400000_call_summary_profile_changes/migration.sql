-- Memory service: the summarizer returns changes to the caller's profile (set or unset, per
-- field, each with the reason from the call) instead of a fresh profile that overwrote the old
-- one. The changes a call actually made are kept with its summary, so staff can see why a stored
-- value changed and when. Rows from before (and imported ones) have none.

-- AlterTable
ALTER TABLE "call_summaries" ADD COLUMN "profile_changes" JSONB NOT NULL DEFAULT '[]';

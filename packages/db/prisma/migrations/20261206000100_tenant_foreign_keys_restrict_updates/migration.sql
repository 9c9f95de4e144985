-- Foreign keys that contain customer_id no longer cascade updates (ON UPDATE RESTRICT instead of
-- Prisma's default CASCADE), so the tenant tables can be distributed by customer_id.
--
-- Why: Citus refuses a foreign key that includes the distribution column with ON UPDATE CASCADE
-- (or SET NULL / SET DEFAULT): cascading a change of customer_id would move rows between shards.
-- Nothing changes a tenant's id or a call's id (the app role may not even update customers.id),
-- so RESTRICT only makes that explicit. ON DELETE actions stay as they were (call turns still go
-- with their call). The memberships -> admin_users key does not contain customer_id and keeps its
-- cascades.
--
-- Each key is dropped and added again in this one transaction; adding it checks the existing
-- rows, which all satisfied the same key a moment earlier.

ALTER TABLE "phone_numbers" DROP CONSTRAINT "phone_numbers_customer_id_fkey",
    ADD CONSTRAINT "phone_numbers_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "tenant_credentials" DROP CONSTRAINT "tenant_credentials_customer_id_fkey",
    ADD CONSTRAINT "tenant_credentials_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "memories" DROP CONSTRAINT "memories_customer_id_fkey",
    ADD CONSTRAINT "memories_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "call_summaries" DROP CONSTRAINT "call_summaries_customer_id_fkey",
    ADD CONSTRAINT "call_summaries_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "caller_profiles" DROP CONSTRAINT "caller_profiles_customer_id_fkey",
    ADD CONSTRAINT "caller_profiles_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "personality_metrics" DROP CONSTRAINT "personality_metrics_customer_id_fkey",
    ADD CONSTRAINT "personality_metrics_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "personality_averages" DROP CONSTRAINT "personality_averages_customer_id_fkey",
    ADD CONSTRAINT "personality_averages_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "caller_contexts" DROP CONSTRAINT "caller_contexts_customer_id_fkey",
    ADD CONSTRAINT "caller_contexts_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "caller_context_refreshes" DROP CONSTRAINT "caller_context_refreshes_customer_id_fkey",
    ADD CONSTRAINT "caller_context_refreshes_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "calls" DROP CONSTRAINT "calls_customer_id_fkey",
    ADD CONSTRAINT "calls_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "call_turns" DROP CONSTRAINT "call_turns_customer_id_fkey",
    ADD CONSTRAINT "call_turns_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "call_turns" DROP CONSTRAINT "call_turns_customer_id_call_id_fkey",
    ADD CONSTRAINT "call_turns_customer_id_call_id_fkey" FOREIGN KEY ("customer_id", "call_id") REFERENCES "calls"("customer_id", "id") ON DELETE CASCADE ON UPDATE RESTRICT;

ALTER TABLE "call_messages" DROP CONSTRAINT "call_messages_customer_id_fkey",
    ADD CONSTRAINT "call_messages_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "sms_messages" DROP CONSTRAINT "sms_messages_customer_id_fkey",
    ADD CONSTRAINT "sms_messages_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "sms_opt_outs" DROP CONSTRAINT "sms_opt_outs_customer_id_fkey",
    ADD CONSTRAINT "sms_opt_outs_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "sms_templates" DROP CONSTRAINT "sms_templates_customer_id_fkey",
    ADD CONSTRAINT "sms_templates_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "memberships" DROP CONSTRAINT "memberships_customer_id_fkey",
    ADD CONSTRAINT "memberships_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "audit_log" DROP CONSTRAINT "audit_log_customer_id_fkey",
    ADD CONSTRAINT "audit_log_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "usage_records" DROP CONSTRAINT "usage_records_customer_id_fkey",
    ADD CONSTRAINT "usage_records_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

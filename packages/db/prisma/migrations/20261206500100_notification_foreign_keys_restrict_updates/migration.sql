-- The foreign keys of the notification tables to customers no longer cascade updates (ON UPDATE
-- RESTRICT instead of Prisma's default CASCADE), like every other tenant table since
-- 20261206000100_tenant_foreign_keys_restrict_updates: Citus refuses a foreign key that contains
-- the distribution column with ON UPDATE CASCADE, and nothing changes a tenant's id.
--
-- Each key is dropped and added again in this one transaction; adding it checks the existing
-- rows, which all satisfied the same key a moment earlier.

ALTER TABLE "notification_rules" DROP CONSTRAINT "notification_rules_customer_id_fkey",
    ADD CONSTRAINT "notification_rules_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "webhook_endpoints" DROP CONSTRAINT "webhook_endpoints_customer_id_fkey",
    ADD CONSTRAINT "webhook_endpoints_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "notification_events" DROP CONSTRAINT "notification_events_customer_id_fkey",
    ADD CONSTRAINT "notification_events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "notification_deliveries" DROP CONSTRAINT "notification_deliveries_customer_id_fkey",
    ADD CONSTRAINT "notification_deliveries_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

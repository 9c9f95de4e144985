-- A delivery belongs to an event of its own tenant: notification_deliveries (customer_id, event_id)
-- references notification_events (customer_id, id), like every other reference between tenant
-- tables (it includes customer_id, so on Citus both stay on the tenant's node).
--
-- Why: event_id had no key, so a delivery could name an event that does not exist or belongs to
-- another tenant, and the delivery log could lose the event it reports. The dispatcher writes
-- deliveries only for events it has just read and deletes only events without deliveries
-- (apps/admin-api/src/domain/notifications/dispatch-tenant-events.ts), so existing rows satisfy
-- the key. RESTRICT both ways: an event with deliveries is never deleted, and customer_id never
-- changes (20261206500100_notification_foreign_keys_restrict_updates). The unique index on
-- (customer_id, event_id, source_id) serves the checks.

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_customer_id_event_id_fkey" FOREIGN KEY ("customer_id", "event_id") REFERENCES "notification_events"("customer_id", "id") ON DELETE RESTRICT ON UPDATE RESTRICT;

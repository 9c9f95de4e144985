-- The tenant's inbox (the messages and callback requests the agent takes, worked by staff) and
-- notifications (staff SMS and email, and signed outbound webhooks) about what happens on calls.
--
-- Events are written by triggers in the same transaction as the row they are about (a call, a
-- message, a completed summary, an inbound text), so no event is lost between a commit and a
-- notification, and no service on the call path waits on anything. The admin-api's dispatcher
-- turns each event into deliveries (one per matching rule or webhook endpoint) and runs them as
-- jobs.

-- Inbox: the status of a message becomes new -> in_progress -> done.
ALTER TYPE "call_message_status" RENAME VALUE 'handled' TO 'done';
ALTER TYPE "call_message_status" ADD VALUE 'in_progress' BEFORE 'done';

-- CreateEnum
CREATE TYPE "call_message_urgency" AS ENUM ('low', 'normal', 'high');

-- CreateEnum
CREATE TYPE "notification_channel" AS ENUM ('sms', 'email', 'webhook');

-- CreateEnum
CREATE TYPE "notification_delivery_status" AS ENUM ('pending', 'succeeded', 'failed');

-- AlterTable
ALTER TABLE "call_messages"
    ADD COLUMN "urgency" "call_message_urgency" NOT NULL DEFAULT 'normal',
    -- An admin user who is a member of the tenant (checked when assigned; no foreign key, since
    -- admin_users is a platform table the app role cannot read).
    ADD COLUMN "assignee_id" UUID,
    -- Staff notes, oldest first: [{"id", "author", "body", "created_at"}].
    ADD COLUMN "notes" JSONB NOT NULL DEFAULT '[]';

-- CreateTable
CREATE TABLE "notification_rules" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- sms or email (webhooks have their own table, with their secrets).
    "channel" "notification_channel" NOT NULL,
    -- An E.164 number (sms) or an email address (email).
    "target" TEXT NOT NULL,
    -- Event types (message.taken, callback.requested, ...).
    "events" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_rules_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "url" TEXT NOT NULL,
    "description" TEXT,
    "events" TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    -- The signing secret (whsec_...). Kept readable: every delivery is signed with it.
    "secret" TEXT NOT NULL,
    -- After a rotation, the old secret also signs (a second signature) until this instant, so a
    -- receiver can switch over without refusing deliveries.
    "previous_secret" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "notification_events" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- call.started, call.completed, message.taken, callback.requested, sms.received.
    "type" TEXT NOT NULL,
    -- The id of the row the event is about (calls, call_summaries, call_messages, sms_messages);
    -- the payload is built from that row when the event is dispatched.
    "subject_id" UUID NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- Set once the event's deliveries are created.
    "dispatched_at" TIMESTAMPTZ(3),

    CONSTRAINT "notification_events_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateTable
CREATE TABLE "notification_deliveries" (
    "customer_id" INTEGER NOT NULL,
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "event_id" UUID NOT NULL,
    "channel" "notification_channel" NOT NULL,
    -- The phone number, email address or webhook URL it went to (kept when the rule goes).
    "target" TEXT NOT NULL,
    -- The rule or webhook endpoint it came from (no foreign key: the log outlives them).
    "source_id" UUID NOT NULL,
    "status" "notification_delivery_status" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    -- Manual replays so far (each one runs as a new job).
    "replays" INTEGER NOT NULL DEFAULT 0,
    "response_status" INTEGER,
    "last_error" TEXT,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("customer_id","id")
);

-- CreateIndex
CREATE INDEX "call_messages_customer_id_created_at_idx" ON "call_messages"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_rules_customer_id_created_at_idx" ON "notification_rules"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "webhook_endpoints_customer_id_created_at_idx" ON "webhook_endpoints"("customer_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "notification_events_customer_id_type_subject_id_key" ON "notification_events"("customer_id", "type", "subject_id");

-- CreateIndex
CREATE INDEX "notification_events_customer_id_dispatched_at_idx" ON "notification_events"("customer_id", "dispatched_at");

-- CreateIndex
CREATE UNIQUE INDEX "notification_deliveries_customer_id_event_id_source_id_key" ON "notification_deliveries"("customer_id", "event_id", "source_id");

-- CreateIndex
CREATE INDEX "notification_deliveries_customer_id_created_at_idx" ON "notification_deliveries"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "notification_deliveries_customer_id_status_updated_at_idx" ON "notification_deliveries"("customer_id", "status", "updated_at");

-- AddForeignKey
ALTER TABLE "notification_rules" ADD CONSTRAINT "notification_rules_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_events" ADD CONSTRAINT "notification_events_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Grants
GRANT SELECT, INSERT, UPDATE, DELETE ON "notification_rules", "webhook_endpoints", "notification_events", "notification_deliveries" TO neurosphere_app, neurosphere_platform;

-- Row-level security, exactly as 20261129000100_tenant_isolation sets it on every tenant table.
DO $$
DECLARE
    table_name TEXT;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['notification_rules', 'webhook_endpoints', 'notification_events', 'notification_deliveries'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', table_name);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', table_name);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I AS PERMISSIVE FOR ALL TO neurosphere_app '
            'USING (customer_id = NULLIF(current_setting(''app.customer_id'', true), '''')::integer) '
            'WITH CHECK (customer_id = NULLIF(current_setting(''app.customer_id'', true), '''')::integer)',
            table_name);
        EXECUTE format(
            'CREATE POLICY platform_all_rows ON %I AS PERMISSIVE FOR ALL TO neurosphere_platform '
            'USING (true) WITH CHECK (true)',
            table_name);
    END LOOP;
END
$$;

-- The events. SECURITY INVOKER (like the memory read model's triggers): the event row is written
-- as the role that wrote the subject row, inside its tenant, so RLS holds for it as for the row.
-- A repeated event about the same row (a summary completed twice) is one event. NOTIFY is sent
-- when the transaction commits, and wakes the dispatcher at once.
CREATE FUNCTION "notification_events_record"()
RETURNS TRIGGER
LANGUAGE plpgsql
SECURITY INVOKER
SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
    event_type TEXT := TG_ARGV[0];
BEGIN
    IF TG_TABLE_NAME = 'call_messages' THEN
        event_type := CASE NEW.kind WHEN 'callback' THEN 'callback.requested' ELSE 'message.taken' END;
    END IF;
    INSERT INTO public.notification_events ("customer_id", "type", "subject_id")
    VALUES (NEW.customer_id, event_type, NEW.id)
    ON CONFLICT ("customer_id", "type", "subject_id") DO NOTHING;
    PERFORM pg_notify('notification_events', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER "calls_notification_event" AFTER INSERT ON "calls"
    FOR EACH ROW EXECUTE FUNCTION notification_events_record('call.started');
CREATE TRIGGER "call_messages_notification_event" AFTER INSERT ON "call_messages"
    FOR EACH ROW EXECUTE FUNCTION notification_events_record('message');
CREATE TRIGGER "call_summaries_notification_event_insert" AFTER INSERT ON "call_summaries"
    FOR EACH ROW WHEN (NEW.status = 'completed') EXECUTE FUNCTION notification_events_record('call.completed');
CREATE TRIGGER "call_summaries_notification_event_update" AFTER UPDATE OF "status" ON "call_summaries"
    FOR EACH ROW WHEN (NEW.status = 'completed' AND OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION notification_events_record('call.completed');
CREATE TRIGGER "sms_messages_notification_event" AFTER INSERT ON "sms_messages"
    FOR EACH ROW WHEN (NEW.direction = 'inbound') EXECUTE FUNCTION notification_events_record('sms.received');

-- The dispatcher's only cross-tenant read: WHICH tenants have events not yet dispatched (ids only,
-- never their data); it then works on each tenant inside withTenant. Owned by the migration user,
-- which needs a read policy of its own on the FORCED table (as for lookup_tenant_by_number).
CREATE POLICY owner_pending_events ON "notification_events" AS PERMISSIVE FOR SELECT TO CURRENT_USER USING (true);

CREATE FUNCTION notification_tenants_pending()
RETURNS TABLE (customer_id INTEGER)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp
AS $$
    SELECT DISTINCT e.customer_id
    FROM public.notification_events AS e
    WHERE e.dispatched_at IS NULL
    LIMIT 1000
$$;

REVOKE ALL ON FUNCTION notification_tenants_pending() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION notification_tenants_pending() TO neurosphere_app;

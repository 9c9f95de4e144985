-- A `transfer.failed` notification event: the agent tried to hand the caller to a person, nobody
-- answered, and the call ended without a message or callback request (calls.outcome becomes
-- 'transfer_failed' only then; a message taken afterwards is a `message.taken` with
-- transfer_failed set). Staff would otherwise never hear of a caller who wanted a person and got
-- no one. The call log is written when the call ends, as an insert or an update of the row made
-- at call start, so both fire; the event is about the call (subject_id = calls.id) and is recorded
-- once, as every event is (notification_events_record, 20261206500000_inbox_and_notifications).

CREATE TRIGGER "calls_transfer_failed_event_insert" AFTER INSERT ON "calls"
    FOR EACH ROW WHEN (NEW.outcome = 'transfer_failed') EXECUTE FUNCTION notification_events_record('transfer.failed');
CREATE TRIGGER "calls_transfer_failed_event_update" AFTER UPDATE OF "outcome" ON "calls"
    FOR EACH ROW WHEN (NEW.outcome = 'transfer_failed' AND OLD.outcome IS DISTINCT FROM NEW.outcome) EXECUTE FUNCTION notification_events_record('transfer.failed');

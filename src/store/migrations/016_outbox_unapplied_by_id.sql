-- The effects worker applies schedule effects in batches: it takes the oldest unapplied outbox rows
-- of the schedule topics in id order (outbox.store.ts claimScheduleRows). Applied rows stay in the
-- table forever, so without this the id-ordered scan would walk past every row ever applied.
CREATE INDEX IF NOT EXISTS outbox_unapplied_by_id ON outbox (id) WHERE applied_at IS NULL;

-- The database is the truth for every effect: an outbox row is done when its consumer applied it
-- (applied_at, set by the consumer), not when the relay handed it to Redis (relayed_at). A row
-- relayed but not applied after a bound is relayed again; its job id is its dedupe key, so nothing
-- doubles. Rows relayed before this migration were handed to consumers that applied them at least
-- once: they count as applied.
ALTER TABLE outbox ADD COLUMN applied_at timestamptz;
UPDATE outbox SET applied_at = relayed_at WHERE relayed_at IS NOT NULL;
CREATE INDEX outbox_unapplied ON outbox (relayed_at) WHERE applied_at IS NULL;

-- When a delivery was last claimed: a claim older than a bound is sent again under the same
-- Message-ID by its owner (relayed effect, reconciled reminder) or given up as failed with a red alert.
ALTER TABLE deliveries ADD COLUMN claimed_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX deliveries_sending ON deliveries (claimed_at) WHERE status = 'sending';

-- Runs of the periodic jobs (daily checks, monthly reports) by period, so that a run lost with Redis
-- is run again from the database.
CREATE TABLE periodic_runs (
  job text NOT NULL,
  period text NOT NULL,
  applied_at timestamptz NOT NULL,
  PRIMARY KEY (job, period)
);

-- The county's view (issue 13): a note on an acknowledged alert, and the indexes the dashboard,
-- alerts, ledger filters and the monthly-report history read by.
ALTER TABLE alerts ADD COLUMN acknowledged_note text;

-- The alerts page lists newest first, with or without the acknowledged ones, by kind or item.
CREATE INDEX alerts_by_time ON alerts (created_at DESC, id);
-- The 双监控 lights panel reads the deviation alerts of one daily-check run (a created_at range).
CREATE INDEX alerts_deviation_by_project ON alerts (project_id, created_at) WHERE kind LIKE 'deviation.%';

-- The ledger page filters by item or kind and pages by id (fund and project have theirs in 002).
CREATE INDEX ledger_by_item ON ledger_entries (item, id) WHERE item IS NOT NULL;
CREATE INDEX ledger_by_kind ON ledger_entries (kind, id);

-- Overdue panel: active deadlines and open tasks by due date.
CREATE INDEX schedules_active_by_due ON schedules (due_date) WHERE status = 'active';
CREATE INDEX tasks_open_by_due ON tasks (due_date) WHERE status = 'open';

-- This month's decisions: project events by time.
CREATE INDEX project_events_by_time ON project_events (occurred_at);

-- The history of the monthly reports that were emailed (deliveries keyed monthly-report.<month>.<user>).
CREATE INDEX deliveries_monthly_reports ON deliveries (created_at DESC) WHERE delivery_key LIKE 'monthly-report.%';

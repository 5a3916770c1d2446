-- The staff workplace's lists (issue 12): keyset pages and filters read by index.

-- My open tasks by due date then id: those of my role nobody holds, and those assigned to me.
CREATE INDEX IF NOT EXISTS tasks_open_by_role_due ON tasks (role, due_date, id) WHERE status = 'open' AND assignee_id IS NULL;
CREATE INDEX IF NOT EXISTS tasks_open_by_assignee_due ON tasks (assignee_id, due_date, id) WHERE status = 'open' AND assignee_id IS NOT NULL;

-- The projects list's "overdue" filter: a project's open tasks and active deadlines by due date.
CREATE INDEX IF NOT EXISTS tasks_open_by_project_due ON tasks (project_id, due_date) WHERE status = 'open';
CREATE INDEX IF NOT EXISTS schedules_active_by_project_due ON schedules (project_id, due_date) WHERE status = 'active';

-- The 双监控 light: a project's deviation alerts of the last daily check.
CREATE INDEX IF NOT EXISTS alerts_deviation_by_project ON alerts (project_id, kind, created_at) WHERE kind IN ('deviation.red', 'deviation.yellow');

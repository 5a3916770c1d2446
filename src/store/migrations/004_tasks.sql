-- Work that waits on a person, the email links that let the right person act once, and what the
-- links saw (scanners included).

CREATE TABLE tasks (
  id uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES projects (id),
  kind text NOT NULL,
  step integer,
  role text NOT NULL,
  -- Candidates: every active user of `role` (of this organisation when set), or the assignee alone.
  org_id uuid REFERENCES organisations (id),
  assignee_id uuid REFERENCES users (id),
  status text NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
  due_date date NOT NULL,
  opened_seq integer NOT NULL,
  closed_seq integer,
  completed_by uuid REFERENCES users (id),
  completed_event text,
  closed_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (project_id, opened_seq, kind)
);
CREATE INDEX tasks_open ON tasks (role, status, due_date);
CREATE INDEX tasks_by_project ON tasks (project_id, status);

-- Only the SHA-256 of a link token is kept; a link is bound to one task and one recipient.
CREATE TABLE task_links (
  token_hash text PRIMARY KEY,
  task_id uuid NOT NULL REFERENCES tasks (id),
  user_id uuid NOT NULL REFERENCES users (id),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text,
  created_at timestamptz NOT NULL
);
CREATE INDEX task_links_by_task ON task_links (task_id);

CREATE TABLE link_visits (
  id bigserial PRIMARY KEY,
  token_hash text NOT NULL,
  method text NOT NULL,
  user_agent text,
  automated boolean NOT NULL,
  outcome text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX link_visits_by_token ON link_visits (token_hash);

-- The latest project event that closed tasks: an open effect relayed after it is born cancelled.
CREATE TABLE task_close_marks (
  project_id uuid PRIMARY KEY REFERENCES projects (id),
  seq integer NOT NULL
);

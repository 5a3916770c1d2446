-- Deadlines and their reminders live here; Redis only carries jobs that the reconciler can rebuild.

-- One row per project and deadline kind, updated in place; source_seq is the project event that
-- last changed it, so effects relayed out of order can never undo a later change.
CREATE TABLE schedules (
  id uuid PRIMARY KEY,
  project_id uuid NOT NULL REFERENCES projects (id),
  deadline text NOT NULL,
  due_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'done', 'cancelled')),
  generation integer NOT NULL DEFAULT 1,
  source_seq integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, deadline)
);

-- Every planned reminder is a row with its status; its id is also its BullMQ job id.
CREATE TABLE reminders (
  id text PRIMARY KEY,
  schedule_id uuid NOT NULL REFERENCES schedules (id),
  project_id uuid NOT NULL REFERENCES projects (id),
  generation integer NOT NULL,
  offset_days integer NOT NULL,
  fire_at timestamptz NOT NULL,
  escalate boolean NOT NULL DEFAULT false,
  audience text[] NOT NULL,
  status text NOT NULL CHECK (status IN ('planned', 'sent', 'skipped', 'failed', 'cancelled')),
  status_reason text,
  attempts integer NOT NULL DEFAULT 0,
  settled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reminders_planned ON reminders (fire_at) WHERE status = 'planned';
CREATE INDEX reminders_by_schedule ON reminders (schedule_id);
CREATE INDEX reminders_by_project ON reminders (project_id, fire_at);

-- One row per reminder and recipient: the unique key that keeps a retried job from sending twice.
CREATE TABLE deliveries (
  delivery_key text PRIMARY KEY,
  reminder_id text REFERENCES reminders (id),
  user_id uuid NOT NULL,
  email text NOT NULL,
  message_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  lag_ms bigint,
  sent_at timestamptz,
  error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_by_reminder ON deliveries (reminder_id);

CREATE TABLE alerts (
  id uuid PRIMARY KEY,
  kind text NOT NULL,
  severity text NOT NULL CHECK (severity IN ('info', 'yellow', 'red')),
  project_id uuid REFERENCES projects (id),
  audience_role text NOT NULL,
  dedupe_key text NOT NULL UNIQUE,
  message text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by uuid
);
CREATE INDEX alerts_open ON alerts (audience_role, created_at) WHERE acknowledged_at IS NULL;

-- Mail kept locally when no SMTP_URL is set, listed at /dev/mail outside production.
CREATE TABLE local_mail (
  id bigserial PRIMARY KEY,
  message_id text NOT NULL UNIQUE,
  recipient text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

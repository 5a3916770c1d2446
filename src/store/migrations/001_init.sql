-- fundflow schema, version 1. Money is bigint fen; times are timestamptz (UTC).

CREATE TABLE organisations (
  id uuid PRIMARY KEY,
  name text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('center', 'finance', 'leadership', 'unit', 'enterprise', 'authority', 'operator')),
  credit_code text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('applicant', 'center', 'finance', 'leadership', 'inspector', 'supervisor', 'evaluator', 'authority', 'admin')),
  org_id uuid REFERENCES organisations (id),
  locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'applicant' OR org_id IS NOT NULL)
);
CREATE INDEX users_role_org ON users (role, org_id) WHERE active;

-- Only the SHA-256 of a token is kept; the token itself is shown once, when it is made.
CREATE TABLE api_tokens (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  label text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE project_code_counters (
  county text NOT NULL,
  year integer NOT NULL,
  item integer NOT NULL,
  last_seq integer NOT NULL,
  PRIMARY KEY (county, year, item)
);

CREATE TABLE projects (
  id uuid PRIMARY KEY,
  code text NOT NULL UNIQUE,
  org_id uuid NOT NULL REFERENCES organisations (id),
  item integer NOT NULL CHECK (item BETWEEN 1 AND 13),
  title text NOT NULL,
  requested_fen bigint NOT NULL CHECK (requested_fen >= 0),
  state text NOT NULL,
  machine_version text NOT NULL,
  snapshot jsonb NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  last_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX projects_list ON projects (created_at DESC, id DESC);
CREATE INDEX projects_state ON projects (state, created_at DESC);
CREATE INDEX projects_org ON projects (org_id, created_at DESC);
CREATE INDEX projects_item ON projects (item, created_at DESC);

-- The audit trail: append-only and hash-chained per project (seq = the project's version after the event).
CREATE TABLE project_events (
  project_id uuid NOT NULL REFERENCES projects (id),
  seq integer NOT NULL,
  event_type text NOT NULL,
  actor_id uuid,
  actor_role text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('api', 'email', 'page', 'worker', 'cli')),
  from_state text,
  to_state text NOT NULL,
  payload jsonb NOT NULL,
  reason text,
  occurred_at timestamptz NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (project_id, seq)
);

CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER project_events_append_only BEFORE UPDATE OR DELETE ON project_events
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();

-- Effects of committed transitions, relayed to the queues at least once.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  project_id uuid REFERENCES projects (id),
  event_seq integer,
  topic text NOT NULL,
  payload jsonb NOT NULL,
  dedupe_key text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  relayed_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  last_error text
);
CREATE INDEX outbox_pending ON outbox (id) WHERE relayed_at IS NULL;

-- A retried POST with the same Idempotency-Key gets the first answer again.
CREATE TABLE idempotency_keys (
  user_id uuid NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer NOT NULL,
  body jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

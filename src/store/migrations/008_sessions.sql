-- Sign-in by emailed link or code, and the browser sessions it opens. Only hashes are kept: the
-- link token and session token as SHA-256, the 6-digit code as SHA-256 of "<challenge id>:<code>".

CREATE TABLE sign_in_challenges (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash text NOT NULL UNIQUE,
  code_hash text NOT NULL,
  next_path text,
  -- Wrong codes tried against it; at the limit the challenge is spent.
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX sign_in_challenges_live ON sign_in_challenges (user_id) WHERE used_at IS NULL;

CREATE TABLE sessions (
  id uuid PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id),
  user_agent text,
  created_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  -- The absolute expiry; the idle expiry is last_seen_at plus the configured idle time.
  expires_at timestamptz NOT NULL,
  ended_at timestamptz,
  ended_reason text
);
CREATE INDEX sessions_by_user ON sessions (user_id) WHERE ended_at IS NULL;

-- The fund ledger (专款专用): funds, an append-only ledger, and balance rows whose CHECK
-- constraints keep every invariant true under concurrency: each entry updates its balance rows
-- in the same statement, the row lock serialises racers, and a violating update fails whole.

CREATE TABLE funds (
  id uuid PRIMARY KEY,
  source_document text NOT NULL,
  name text NOT NULL,
  received_on date NOT NULL,
  category_ceilings jsonb NOT NULL DEFAULT '{}',
  item_ceilings jsonb NOT NULL DEFAULT '{}',
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE fund_balances (
  fund_id uuid PRIMARY KEY REFERENCES funds (id),
  allocated_fen bigint NOT NULL DEFAULT 0 CHECK (allocated_fen >= 0),
  committed_fen bigint NOT NULL DEFAULT 0 CHECK (committed_fen >= 0),
  disbursed_fen bigint NOT NULL DEFAULT 0 CHECK (disbursed_fen >= 0),
  released_fen bigint NOT NULL DEFAULT 0 CHECK (released_fen >= 0),
  recovered_fen bigint NOT NULL DEFAULT 0 CHECK (recovered_fen >= 0),
  -- never committed beyond what the fund holds
  CONSTRAINT fund_not_overcommitted CHECK (committed_fen - released_fen <= allocated_fen + recovered_fen),
  CONSTRAINT fund_releases_within_commitments CHECK (released_fen <= committed_fen)
);

-- Per fund and category (category ceilings).
CREATE TABLE fund_category_balances (
  fund_id uuid NOT NULL REFERENCES funds (id),
  category integer NOT NULL CHECK (category BETWEEN 1 AND 4),
  ceiling_fen bigint,
  committed_fen bigint NOT NULL DEFAULT 0,
  disbursed_fen bigint NOT NULL DEFAULT 0,
  released_fen bigint NOT NULL DEFAULT 0,
  recovered_fen bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (fund_id, category),
  CONSTRAINT category_within_ceiling CHECK (ceiling_fen IS NULL OR committed_fen - released_fen <= ceiling_fen)
);

-- Per fund and item (item ceilings, summaries per item).
CREATE TABLE fund_item_balances (
  fund_id uuid NOT NULL REFERENCES funds (id),
  item integer NOT NULL CHECK (item BETWEEN 1 AND 13),
  category integer NOT NULL CHECK (category BETWEEN 1 AND 4),
  ceiling_fen bigint,
  committed_fen bigint NOT NULL DEFAULT 0,
  disbursed_fen bigint NOT NULL DEFAULT 0,
  released_fen bigint NOT NULL DEFAULT 0,
  recovered_fen bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (fund_id, item),
  CONSTRAINT item_within_ceiling CHECK (ceiling_fen IS NULL OR committed_fen - released_fen <= ceiling_fen)
);

CREATE TABLE project_balances (
  project_id uuid PRIMARY KEY REFERENCES projects (id),
  fund_id uuid NOT NULL REFERENCES funds (id),
  item integer NOT NULL,
  committed_fen bigint NOT NULL DEFAULT 0 CHECK (committed_fen >= 0),
  disbursed_fen bigint NOT NULL DEFAULT 0 CHECK (disbursed_fen >= 0),
  released_fen bigint NOT NULL DEFAULT 0 CHECK (released_fen >= 0),
  recovered_fen bigint NOT NULL DEFAULT 0 CHECK (recovered_fen >= 0),
  -- a project is never paid more than was approved
  CONSTRAINT project_not_overpaid CHECK (disbursed_fen + released_fen <= committed_fen),
  CONSTRAINT project_recovery_within_paid CHECK (recovered_fen <= disbursed_fen)
);

CREATE TABLE ledger_entries (
  id bigserial PRIMARY KEY,
  fund_id uuid NOT NULL REFERENCES funds (id),
  kind text NOT NULL CHECK (kind IN ('allocate', 'commit', 'disburse', 'release', 'recover')),
  project_id uuid REFERENCES projects (id),
  item integer,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0 AND amount_fen <= 1000000000000000),
  actor_id uuid,
  event_type text,
  event_seq integer,
  reason text,
  occurred_at timestamptz NOT NULL,
  CHECK ((kind = 'allocate') = (project_id IS NULL))
);
CREATE INDEX ledger_by_fund ON ledger_entries (fund_id, id);
CREATE INDEX ledger_by_project ON ledger_entries (project_id, id) WHERE project_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_once_per_event ON ledger_entries (project_id, event_seq, kind) WHERE event_seq IS NOT NULL;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();

-- Support a beneficiary already had under other policies (就高不重复).
CREATE TABLE beneficiaries (
  credit_code text PRIMARY KEY,
  name text NOT NULL,
  qualifications text[] NOT NULL DEFAULT '{}',
  listing_reserve boolean NOT NULL DEFAULT false,
  listing_reserve_since date,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE prior_support (
  id uuid PRIMARY KEY,
  beneficiary_code text NOT NULL REFERENCES beneficiaries (credit_code),
  policy text NOT NULL,
  level text NOT NULL,
  year integer NOT NULL,
  item integer,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  contract_numbers text[] NOT NULL DEFAULT '{}',
  invoice_numbers text[] NOT NULL DEFAULT '{}',
  recorded_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX prior_support_beneficiary ON prior_support (beneficiary_code, year);

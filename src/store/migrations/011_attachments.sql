-- Attachments (issue 14). Content-addressed: a blob is keyed by the SHA-256 of its bytes, so the
-- same file uploaded twice is stored once. The bytes live in their own table so that the
-- attachments list never reads them, and so that an S3-compatible store can replace the table
-- behind the BlobStore interface (src/store/blob-storage.ts) without touching attachments.
CREATE TABLE IF NOT EXISTS blobs (
  sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  bytes bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One file attached to a project, or to one of its events (event_seq). audit_seq is the
-- ATTACH_FILE event that put its hash into the project's audit chain; audit:verify compares the
-- row, the event and the blob's bytes.
CREATE TABLE IF NOT EXISTS attachments (
  id uuid NOT NULL,
  project_id uuid NOT NULL REFERENCES projects (id),
  event_seq integer CHECK (event_seq IS NULL OR event_seq >= 1),
  kind text NOT NULL CHECK (kind IN ('proposal', 'budget', 'contract', 'invoice', 'acceptance', 'inspection-evidence',
                                     'correction-material', 'treasury-voucher', 'other')),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
  media_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  -- No foreign key to blobs: the bytes may live in another store (S3); audit:verify checks they are there.
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by uuid NOT NULL REFERENCES users (id),
  uploaded_at timestamptz NOT NULL,
  audit_seq integer NOT NULL,
  -- Keyed within its project (every read names both): a copy of a project's trail keeps its ids.
  PRIMARY KEY (project_id, id),
  UNIQUE (project_id, audit_seq)
);
CREATE INDEX IF NOT EXISTS attachments_by_project ON attachments (project_id, audit_seq);

-- Like the audit trail, both are append-only: a file is never replaced in place.
CREATE TRIGGER attachments_append_only BEFORE UPDATE OR DELETE ON attachments
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();
CREATE TRIGGER blobs_append_only BEFORE UPDATE OR DELETE ON blobs
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();

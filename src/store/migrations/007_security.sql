-- Security review (issue 11): token expiry and revocation, user deactivation, beneficiary history.

ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE api_tokens ADD COLUMN revoked_by uuid;
ALTER TABLE users ADD COLUMN deactivated_at timestamptz;
ALTER TABLE users ADD COLUMN deactivated_by uuid;

-- Every version of a beneficiary record, with who changed it and when; `beneficiaries` holds the latest.
CREATE TABLE beneficiary_versions (
  credit_code text NOT NULL REFERENCES beneficiaries (credit_code),
  version integer NOT NULL CHECK (version >= 1),
  name text NOT NULL,
  qualifications text[] NOT NULL,
  listing_reserve boolean NOT NULL,
  listing_reserve_since date,
  changed_by uuid,
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (credit_code, version)
);
CREATE TRIGGER beneficiary_versions_append_only BEFORE UPDATE OR DELETE ON beneficiary_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_audit_change();

-- Records made before this migration become their version 1 (who and when are unknown).
INSERT INTO beneficiary_versions (credit_code, version, name, qualifications, listing_reserve, listing_reserve_since, changed_by, changed_at)
  SELECT credit_code, 1, name, qualifications, listing_reserve, listing_reserve_since, NULL, created_at FROM beneficiaries;

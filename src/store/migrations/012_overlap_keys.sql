-- 就高不重复 against this system's own approvals (src/store/overlap.store.ts): the final APPROVE
-- carries the keys its check used; these partial indexes find earlier approvals by beneficiary
-- code or by a shared contract or invoice number without scanning the audit trail.
CREATE INDEX project_events_overlap_code ON project_events ((payload->'overlapKeys'->>'beneficiaryCode'))
  WHERE event_type = 'APPROVE' AND payload ? 'overlapKeys';
CREATE INDEX project_events_overlap_contracts ON project_events USING gin ((payload->'overlapKeys'->'contractNumbers'))
  WHERE event_type = 'APPROVE' AND payload ? 'overlapKeys';
CREATE INDEX project_events_overlap_invoices ON project_events USING gin ((payload->'overlapKeys'->'invoiceNumbers'))
  WHERE event_type = 'APPROVE' AND payload ? 'overlapKeys';

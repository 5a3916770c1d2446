-- What readers need from a project's snapshot, as columns written by the transition's own statement
-- (projects.store.ts writeTransition): nothing outside machines/project.restore.ts reads the JSON.
--   tags            the XState tags of the current state (reminders go out while the deadline's tag is there)
--   fund_id         the fund the project's money is earmarked in (set at the final approval)
--   accepted_grade  the latest evaluation's grade once the Finance Bureau accepted it (evaluated.accepted, closed)
ALTER TABLE projects
  ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
  ADD COLUMN fund_id uuid,
  ADD COLUMN accepted_grade text CHECK (accepted_grade IN ('优', '良', '中', '差'));

-- Backfill from the stored project@1 snapshots. The tags are those of project@1's states
-- (machines/project.machine.ts); tests/integration/project-projection.test.ts checks this backfill
-- against the machine's own projection for every state.
UPDATE projects
   SET fund_id = (snapshot -> 'context' ->> 'fundId')::uuid,
       accepted_grade = CASE WHEN state IN ('evaluated.accepted', 'closed')
                             THEN snapshot -> 'context' -> 'evaluations' -> -1 ->> 'grade' END,
       tags = CASE
                WHEN state IN ('executing', 'inspected', 'deviated-corrected.verifying') THEN ARRAY['monitored']
                WHEN state = 'deviated-corrected.correcting' THEN ARRAY['correcting', 'monitored']
                WHEN state IN ('evaluated.self-evaluation', 'evaluated.re-evaluation') THEN ARRAY['evaluating']
                WHEN state = 'evaluated.finance-review' THEN ARRAY['finance-review']
                ELSE '{}'::text[]
              END;

CREATE INDEX projects_org_accepted_grade ON projects (org_id) WHERE accepted_grade IS NOT NULL;

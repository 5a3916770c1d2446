-- link_visits are pruned by age at insert time (task-links.store.ts recordLinkVisit): find old rows fast.
CREATE INDEX IF NOT EXISTS link_visits_by_age ON link_visits (at);

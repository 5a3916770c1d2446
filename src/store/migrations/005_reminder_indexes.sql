-- Reminders and deliveries are inserted once and settled once. Only the indexes their lookups use are
-- kept (a project's reminders are found through its schedules, one to a few per project; nothing
-- searches planned reminders by fire time: Redis holds the timers, the reconciler walks the primary
-- key), and pages keep room for the one update, so that settling a reminder or recording a delivery
-- is a heap-only update that touches no index.
DROP INDEX reminders_by_project;
DROP INDEX reminders_planned;
ALTER TABLE reminders SET (fillfactor = 85);
ALTER TABLE deliveries SET (fillfactor = 85);

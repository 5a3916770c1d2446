-- A project's reminders are found through its schedules (one to a few per project); the index by
-- project cost every planned reminder a fourth index insertion for a listing that does not need it.
DROP INDEX reminders_by_project;

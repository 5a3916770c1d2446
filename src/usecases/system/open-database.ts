/**
 * What a composition root (CLI, workers) needs to open the database without reaching into
 * src/store itself: the shell layers above use cases never import the store.
 */
export { openDatabase } from '../../store/open-database.ts';
export { DatabaseLockedError } from '../../store/pglite-database.ts';
export type { Database } from '../../store/database.ts';
export { PG_UNIQUE_VIOLATION, pgErrorCode } from '../../store/database.ts';

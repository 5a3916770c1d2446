/** The embedded database's dump and replace, or undefined on PostgreSQL (backup and restore pick their tool by it). */
export { asPglite } from '../../store/pglite-database.ts';

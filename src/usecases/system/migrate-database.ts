import type { EngineDeps } from '../../engine/engine-deps.ts';
import { migrate } from '../../store/migrate.ts';

/** Applies the migrations the database has not had yet; answers their names. */
export function migrateDatabase(deps: Pick<EngineDeps, 'db'>): Promise<string[]> {
  return migrate(deps.db);
}

import type { EngineDeps } from '../../engine/engine-deps.ts';
import { countContents as countStored } from '../../store/backup.store.ts';

/** How many projects and events the database holds (what a backup or restore reports). */
export function countContents(deps: Pick<EngineDeps, 'db'>): Promise<{ projects: number; events: number }> {
  return countStored(deps.db);
}

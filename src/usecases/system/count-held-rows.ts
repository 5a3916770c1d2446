import type { EngineDeps } from '../../engine/engine-deps.ts';
import { countHeldRows as countStored } from '../../store/backup.store.ts';

/** Projects plus users: what a restore without --force refuses to replace. */
export function countHeldRows(deps: Pick<EngineDeps, 'db'>): Promise<number> {
  return countStored(deps.db);
}

import type { EngineDeps } from '../../engine/engine-deps.ts';
import { pingDatabase } from '../../store/observability.store.ts';

/** Readiness: throws when the database does not answer. */
export function probeDatabase(deps: Pick<EngineDeps, 'db'>): Promise<void> {
  return pingDatabase(deps.db);
}

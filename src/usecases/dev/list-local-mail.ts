import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listLocalMail as listStored, type LocalMailRow } from '../../store/observability.store.ts';

export type { LocalMailRow };

/** Development: the mails kept locally, newest first. */
export function listLocalMail(deps: Pick<EngineDeps, 'db'>): Promise<LocalMailRow[]> {
  return listStored(deps.db, 200);
}

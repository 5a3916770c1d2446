import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listLiveSessions, type SessionListRow } from '../../store/sessions.store.ts';

/** The user's sessions that are still live at `now`. */
export function listSessions(deps: Pick<EngineDeps, 'db'>, userId: string, now: Date, idleMs: number): Promise<SessionListRow[]> {
  return listLiveSessions(deps.db, userId, now, idleMs);
}

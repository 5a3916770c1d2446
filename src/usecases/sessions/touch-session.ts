import type { EngineDeps } from '../../engine/engine-deps.ts';
import { hashSecret, touchSession as touchStored, type SessionUserRow } from '../../store/sessions.store.ts';

/** The live session a cookie's token names, marked as used now (at most every 30 s); undefined when ended, idle too long or expired. */
export function touchSession(deps: Pick<EngineDeps, 'db'>, token: string, now: Date, idleMs: number): Promise<SessionUserRow | undefined> {
  return touchStored(deps.db, hashSecret(token), now, idleMs);
}

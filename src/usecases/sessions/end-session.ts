import type { EngineDeps } from '../../engine/engine-deps.ts';
import { endSession as endStored } from '../../store/sessions.store.ts';

/** Ends one live session of the user (sign-out or revoke); false when they have no such session. */
export function endSession(deps: Pick<EngineDeps, 'db'>, input: { userId: string; sessionId: string; reason: string; now: Date }): Promise<boolean> {
  return endStored(deps.db, input);
}

import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findUserByToken as findStored, type UserRow } from '../../store/users.store.ts';

export type { UserRow };

/** The active user an unexpired, unrevoked API token belongs to, if any (bearer authentication). */
export function findUserByToken(deps: Pick<EngineDeps, 'db'>, token: string, at: Date): Promise<(UserRow & { token_expires_at: Date | null }) | undefined> {
  return findStored(deps.db, token, at);
}

import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findUserByToken as findStored, type UserRow } from '../../store/users.store.ts';

export type { UserRow };

/** The active user an API token belongs to, if any (bearer authentication). */
export function findUserByToken(deps: Pick<EngineDeps, 'db'>, token: string): Promise<UserRow | undefined> {
  return findStored(deps.db, token);
}

import type { EngineDeps } from '../../engine/engine-deps.ts';
import { deactivateUser as deactivateStored, findUserByEmail, type UserRow } from '../../store/users.store.ts';

/**
 * Deactivates a user (by id, or by email for the CLI) and, in the same transaction, revokes their
 * tokens, unused email links and sign-in links and ends their sessions; undefined for an unknown user.
 */
export async function deactivateUser(
  deps: Pick<EngineDeps, 'db'>,
  user: { id: string } | { email: string },
  by: string | null,
): Promise<{ user: UserRow; tokensRevoked: number; linksRevoked: number; sessionsEnded: number } | undefined> {
  const id = 'id' in user ? user.id : (await findUserByEmail(deps.db, user.email))?.id;
  return id === undefined ? undefined : deactivateStored(deps.db, id, by);
}

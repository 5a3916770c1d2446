import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findUser, issueApiToken, tokenExpiryOf, type UserRow } from '../../store/users.store.ts';

export type IssueUserTokenResult = { outcome: 'no-user' } | { outcome: 'inactive' } | { outcome: 'issued'; user: UserRow; token: string; expiresAt: Date | null };

/** A new API token for an active user, by id (the admin page); the token is shown once, only its hash is kept. */
export async function issueUserToken(
  deps: Pick<EngineDeps, 'db' | 'now'>,
  input: { userId: string; label: string; tokenTtlDays: number },
): Promise<IssueUserTokenResult> {
  const user = await findUser(deps.db, input.userId);
  if (!user) return { outcome: 'no-user' };
  if (!user.active) return { outcome: 'inactive' };
  const expiresAt = tokenExpiryOf(deps.now(), input.tokenTtlDays);
  const token = await issueApiToken(deps.db, user.id, input.label, expiresAt);
  return { outcome: 'issued', user, token, expiresAt };
}

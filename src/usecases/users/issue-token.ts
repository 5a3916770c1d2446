import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findUserByEmail, issueApiToken, tokenExpiryOf, type UserRow } from '../../store/users.store.ts';

export type IssueTokenResult =
  | { outcome: 'no-user' }
  | { outcome: 'inactive'; user: UserRow }
  | { outcome: 'issued'; user: UserRow; token: string; expiresAt: Date | null };

/** A fresh API token for an existing, active user; earlier tokens stay valid. */
export async function issueToken(
  deps: Pick<EngineDeps, 'db'>,
  input: { email: string; label: string; tokenTtlDays: number; now: Date },
): Promise<IssueTokenResult> {
  const user = await findUserByEmail(deps.db, input.email);
  if (!user) return { outcome: 'no-user' };
  if (!user.active) return { outcome: 'inactive', user };
  const expiresAt = tokenExpiryOf(input.now, input.tokenTtlDays);
  const token = await issueApiToken(deps.db, user.id, input.label, expiresAt);
  return { outcome: 'issued', user, token, expiresAt };
}

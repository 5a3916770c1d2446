import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findUserProfile, type UserProfileRow } from '../../store/sessions.store.ts';

export type { UserProfileRow };

/** The signed-in user's profile, or undefined when the account is not active. */
export function getUserProfile(deps: Pick<EngineDeps, 'db'>, userId: string): Promise<UserProfileRow | undefined> {
  return findUserProfile(deps.db, userId);
}

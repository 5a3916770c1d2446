import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findChallenge, hashSecret, type ChallengeView } from '../../store/sessions.store.ts';

export type { ChallengeView };

/** The sign-in challenge an emailed link's token names, spent or not, to say why it no longer works. */
export function findSignInLink(deps: Pick<EngineDeps, 'db'>, token: string): Promise<ChallengeView | undefined> {
  return findChallenge(deps.db, hashSecret(token));
}

import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findUser, listApiTokens, type ApiTokenRow } from '../../store/users.store.ts';

/** Every API token of a user, revoked ones included; undefined when there is no such user. */
export async function listUserTokens(deps: Pick<EngineDeps, 'db'>, userId: string): Promise<ApiTokenRow[] | undefined> {
  if (!(await findUser(deps.db, userId))) return undefined;
  return listApiTokens(deps.db, userId);
}

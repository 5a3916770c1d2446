import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listUsers as listStored, type UserListRow } from '../../store/users.store.ts';

export type { UserListRow };

/** Every user, active first, with organisation, live API tokens and last sign-in (人员 list). */
export function listUsers(deps: Pick<EngineDeps, 'db' | 'now'>): Promise<UserListRow[]> {
  return listStored(deps.db, deps.now());
}

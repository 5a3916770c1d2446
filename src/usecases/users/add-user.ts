import type { EngineDeps } from '../../engine/engine-deps.ts';
import type { Role } from '../../../config/roles.ts';
import { addUser as addStored, issueApiToken, tokenExpiryOf, type UserRow } from '../../store/users.store.ts';

/** A user and their first API token together: a failure (a taken email) leaves neither behind. */
export function addUser(
  deps: Pick<EngineDeps, 'db'>,
  input: { email: string; name: string; role: Role; orgId: string; locale: 'zh-CN' | 'en'; tokenTtlDays: number; now: Date },
): Promise<{ user: UserRow; token: string }> {
  return deps.db.transaction(async (tx) => {
    const user = await addStored(tx, { email: input.email, name: input.name, role: input.role, orgId: input.orgId, locale: input.locale });
    const token = await issueApiToken(tx, user.id, 'cli', tokenExpiryOf(input.now, input.tokenTtlDays));
    return { user, token };
  });
}

import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../../store/database.ts';
import { updateOrganisation as updateStored } from '../../store/directory.store.ts';
import type { OrgRow } from '../../store/users.store.ts';

/**
 * 编辑单位: renames an organisation or corrects its 统一社会信用代码 (checked by the route's schema).
 * People and projects point at the organisation by id, so they follow the new name at once. A name
 * another organisation already has is refused like on creation. Undefined for an unknown organisation.
 */
export async function updateOrganisation(
  deps: Pick<EngineDeps, 'db'>,
  input: { orgId: string; name?: string; creditCode?: string | null },
): Promise<OrgRow | undefined> {
  try {
    return await updateStored(deps.db, input.orgId, {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.creditCode !== undefined ? { creditCode: input.creditCode } : {}),
    });
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
      throw AppError.badInput([{ field: 'name', message: `an organisation named ${JSON.stringify(input.name)} already exists` }]);
    }
    throw error;
  }
}

import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../../store/database.ts';
import { addOrganisation as insertOrganisation, type OrgKind, type OrgRow } from '../../store/users.store.ts';

export type { OrgKind, OrgRow };

/** Adds an organisation; a name already taken is refused (names are how people pick them). */
export async function addOrganisation(deps: Pick<EngineDeps, 'db'>, input: { name: string; kind: OrgKind; creditCode?: string }): Promise<OrgRow> {
  try {
    return await insertOrganisation(deps.db, input);
  } catch (error) {
    if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) {
      throw AppError.badInput([{ field: 'name', message: `an organisation named ${JSON.stringify(input.name)} already exists (see orgs:list)` }]);
    }
    throw error;
  }
}

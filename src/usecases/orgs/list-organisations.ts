import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listOrganisations as listStored, type OrgRow } from '../../store/users.store.ts';

export async function listOrganisations(deps: Pick<EngineDeps, 'db'>): Promise<OrgRow[]> {
  return listStored(deps.db);
}

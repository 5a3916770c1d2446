import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findOrganisation as findById, findOrganisationByName, type OrgRow } from '../../store/users.store.ts';

export type { OrgRow };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An organisation by id, or else by its exact name. */
export async function findOrganisation(deps: Pick<EngineDeps, 'db'>, reference: string): Promise<OrgRow | undefined> {
  const byId = UUID.test(reference) ? await findById(deps.db, reference.toLowerCase()) : undefined;
  return byId ?? (await findOrganisationByName(deps.db, reference));
}

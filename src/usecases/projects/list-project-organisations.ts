import type { Actor } from '../../../machines/project.types.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listProjectOrganisations as listStored } from '../../store/projects.store.ts';

/** The organisations that have projects (for the list's filter); an applicant sees only their own. */
export async function listProjectOrganisations(deps: EngineDeps, actor: Actor) {
  if (actor.role === 'applicant' && !actor.orgId) return { items: [] };
  const rows = await listStored(deps.db, actor.role === 'applicant' ? actor.orgId : null);
  return { items: rows.map((row) => ({ id: row.id, name: row.name, kind: row.kind, projects: row.projects })) };
}

import type { Actor } from '../../../machines/project.types.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { summarizeProject } from '../../engine/project-view.ts';
import { listProjects as listStoredProjects, type ProjectFilter } from '../../store/projects.store.ts';

export type { ProjectFilter };

/** A page of projects (keyset by creation); applicants see only their own organisation's. */
export async function listProjects(deps: EngineDeps, actor: Actor, filter: ProjectFilter) {
  if (actor.role === 'applicant') {
    if (filter.orgId && filter.orgId !== actor.orgId) return { items: [], nextCursor: null };
    filter = { ...filter, orgId: actor.orgId! };
  }
  const rows = await listStoredProjects(deps.db, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > filter.limit && last
      ? Buffer.from(JSON.stringify({ createdAt: new Date(last.created_at).toISOString(), id: last.id })).toString('base64url')
      : null;
  return { items: page.map(summarizeProject), nextCursor };
}

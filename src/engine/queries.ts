import type { Actor } from '../../machines/project.types.ts';
import { canReadProject } from '../domain/authorization.ts';
import { restoreProjectSnapshot } from '../../machines/project.restore.ts';
import { findProject, listLowGradeProjects, listProjectEvents, listProjects, type ProjectFilter } from '../store/projects.store.ts';
import { AppError } from './app-error.ts';
import type { EngineDeps } from './engine-deps.ts';
import { summarizeProject, viewProject } from './project-view.ts';

export async function getProject(deps: EngineDeps, actor: Actor, projectId: string) {
  const row = await findProject(deps.db, projectId);
  if (!row || !canReadProject(actor, row.org_id)) {
    throw new AppError('not-found', `project ${projectId} does not exist or is not visible to you`);
  }
  const restored = restoreProjectSnapshot(deps.machine, row.machine_version, row.snapshot);
  if (!restored.ok) throw new AppError('snapshot-unrestorable', restored.reason, { projectId });
  const reviewFlags = row.state.startsWith('proposed.') && actor.role !== 'applicant' ? await lowGradeFlags(deps, row.org_id, row.id) : [];
  return { ...viewProject(row, restored.snapshot, actor), reviewFlags };
}

/** Results are used: a 中 or 差 grade of the applicant's earlier projects is shown to the reviewers of its next proposal. */
async function lowGradeFlags(deps: EngineDeps, orgId: string, projectId: string) {
  const rows = await listLowGradeProjects(deps.db, orgId, projectId);
  return rows.map((row) => ({
    kind: 'prior-low-grade',
    projectCode: row.code,
    grade: row.grade,
    message: `该单位的项目 ${row.code} 绩效评价等级为“${row.grade}” / an earlier project of this applicant was graded ${row.grade}`,
  }));
}

export async function searchProjects(deps: EngineDeps, actor: Actor, filter: ProjectFilter) {
  if (actor.role === 'applicant') {
    if (filter.orgId && filter.orgId !== actor.orgId) return { items: [], nextCursor: null };
    filter = { ...filter, orgId: actor.orgId! };
  }
  const rows = await listProjects(deps.db, { ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > filter.limit && last
      ? Buffer.from(JSON.stringify({ createdAt: new Date(last.created_at).toISOString(), id: last.id })).toString('base64url')
      : null;
  return { items: page.map(summarizeProject), nextCursor };
}

export async function projectHistory(deps: EngineDeps, actor: Actor, projectId: string) {
  const row = await findProject(deps.db, projectId);
  if (!row || !canReadProject(actor, row.org_id)) {
    throw new AppError('not-found', `project ${projectId} does not exist or is not visible to you`);
  }
  const events = await listProjectEvents(deps.db, projectId);
  return {
    projectId,
    code: row.code,
    events: events.map((event) => ({
      seq: event.seq,
      type: event.event_type,
      actor: { id: event.actor_id, role: event.actor_role, name: event.actor_name },
      channel: event.channel,
      from: event.from_state,
      to: event.to_state,
      payload: event.payload,
      reason: event.reason,
      at: new Date(event.occurred_at).toISOString(),
      prevHash: event.prev_hash,
      hash: event.hash,
    })),
  };
}

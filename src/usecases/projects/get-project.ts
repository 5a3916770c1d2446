import { restoreProjectSnapshot } from '../../../machines/project.restore.ts';
import type { Actor } from '../../../machines/project.types.ts';
import { canReadProject } from '../../domain/authorization.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { viewProject } from '../../engine/project-view.ts';
import { findProject, findProjectByCode, listLowGradeProjects, type ProjectRow } from '../../store/projects.store.ts';

/** One project as the caller may see it, with what it may do next and, for reviewers, earlier low grades. */
export async function getProject(deps: EngineDeps, actor: Actor, projectId: string) {
  return viewOf(deps, actor, await findProject(deps.db, projectId), projectId);
}

/** The same, named by its code (YC-2026-05-001): the deep links of emails and pages use codes. */
export async function getProjectByCode(deps: EngineDeps, actor: Actor, code: string) {
  return viewOf(deps, actor, await findProjectByCode(deps.db, code), code);
}

async function viewOf(deps: EngineDeps, actor: Actor, row: ProjectRow | undefined, named: string) {
  // Not visible answers like not existing: a code must not tell an applicant that another's project exists.
  if (!row || !canReadProject(actor, row.org_id)) {
    throw new AppError('not-found', `project ${named} does not exist or is not visible to you`);
  }
  const restored = restoreProjectSnapshot(deps.machine, row.machine_version, row.snapshot);
  if (!restored.ok) throw new AppError('snapshot-unrestorable', restored.reason, { projectId: row.id });
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

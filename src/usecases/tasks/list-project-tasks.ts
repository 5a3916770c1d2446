import type { Actor } from '../../../machines/project.types.ts';
import { canReadProject } from '../../domain/authorization.ts';
import { businessDateOf } from '../../domain/business-date.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findProject } from '../../store/projects.store.ts';
import { listOpenTasksOfProject } from '../../store/tasks.store.ts';

/**
 * A project's open tasks and who holds them, for whoever may read the project. Staff see the
 * holders by name, role and organisation. An applicant sees every task with its role and due
 * date (what the project waits for), but names only of people of their own organisation: the
 * staff member who holds a review is not theirs to know.
 */
export async function listProjectTasks(deps: EngineDeps, actor: Actor, projectId: string) {
  const project = await findProject(deps.db, projectId);
  if (!project || !canReadProject(actor, project.org_id)) {
    throw new AppError('not-found', `project ${projectId} does not exist or is not visible to you`);
  }
  const today = businessDateOf(deps.now());
  const rows = await listOpenTasksOfProject(deps.db, projectId);
  const staff = actor.role !== 'applicant';
  return {
    projectId,
    code: project.code,
    today,
    items: rows.map((row) => {
      const holders = staff ? row.holders : row.holders.filter((holder) => holder.orgId !== null && holder.orgId === actor.orgId);
      return {
        id: row.id,
        kind: row.kind,
        step: row.step,
        role: row.role,
        orgId: row.org_id,
        orgName: row.org_name,
        dueDate: row.due_date,
        overdue: row.due_date < today,
        assigned: row.assignee_id !== null,
        holders: holders.map((holder) => ({ userId: holder.id, name: holder.name, role: holder.role, orgName: holder.orgName })),
        /** How many people hold it; the list above names at most 20 (and, for applicants, only their own). */
        holderCount: staff ? row.holder_count : holders.length,
        openedAt: new Date(row.created_at).toISOString(),
      };
    }),
  };
}

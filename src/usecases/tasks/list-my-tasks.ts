import type { Actor } from '../../../machines/project.types.ts';
import { businessDateOf } from '../../domain/business-date.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listTasksFor } from '../../store/tasks.store.ts';

/** My tasks: those assigned to me, and those of my role (and organisation) nobody holds. */
export async function listMyTasks(deps: EngineDeps, actor: Actor, filter: { status: 'open' | 'overdue' | 'done'; limit: number }) {
  const today = businessDateOf(deps.now());
  const rows = await listTasksFor(deps.db, actor, { status: filter.status, today, limit: filter.limit });
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    projectId: row.project_id,
    projectCode: row.project_code,
    projectTitle: row.project_title,
    // The plan item: the inbox asks for item 13's 会议纪要 at the leadership group's approval.
    item: row.project_item,
    role: row.role,
    assigneeId: row.assignee_id,
    status: row.status,
    dueDate: row.due_date,
    overdue: row.status === 'open' && row.due_date < today,
    completedBy: row.completed_by,
    completedEvent: row.completed_event,
  }));
}

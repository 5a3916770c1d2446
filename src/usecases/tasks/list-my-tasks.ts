import { z } from 'zod';
import type { Actor } from '../../../machines/project.types.ts';
import { businessDateOf } from '../../domain/business-date.ts';
import { decodeCursor, encodeCursor } from '../../domain/keyset-cursor.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listTasksFor, type TaskListRow } from '../../store/tasks.store.ts';

export interface MyTasksQuery {
  status: 'open' | 'overdue' | 'done';
  limit: number;
  kind?: string | undefined;
  item?: number | undefined;
  projectId?: string | undefined;
  /** Part of a project code or title. */
  project?: string | undefined;
  cursor?: string | undefined;
}

const taskCursorSchema = z.object({ dueDate: z.iso.date(), id: z.uuid() });

/**
 * My tasks (assigned to me, or of my role and organisation and held by nobody), a page at a time
 * by due date then id; each carries its project's code, title and item.
 */
export async function listMyTasks(deps: EngineDeps, actor: Actor, query: MyTasksQuery) {
  const today = businessDateOf(deps.now());
  const after = query.cursor === undefined ? undefined : decodeCursor(taskCursorSchema, query.cursor);
  if (query.cursor !== undefined && !after) throw AppError.badInput([{ field: 'cursor', message: 'is not a cursor this service issued' }]);
  const rows = await listTasksFor(deps.db, actor, {
    status: query.status,
    today,
    limit: query.limit + 1,
    ...(query.kind ? { kind: query.kind } : {}),
    ...(query.item !== undefined ? { item: query.item } : {}),
    ...(query.projectId ? { projectId: query.projectId } : {}),
    ...(query.project?.trim() ? { search: query.project.trim() } : {}),
    ...(after ? { after } : {}),
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => taskItem(row, today)),
    nextCursor: rows.length > query.limit && last ? encodeCursor({ dueDate: last.due_date, id: last.id }) : null,
  };
}

function taskItem(row: TaskListRow, today: string) {
  return {
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
  };
}

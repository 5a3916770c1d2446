import type { Actor } from '../../../machines/project.types.ts';
import { businessDateOf } from '../../domain/business-date.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { countOpenTasksFor } from '../../store/tasks.store.ts';

/** How many open tasks I have, per kind, and how many of them are overdue or due today (Beijing date). */
export async function countMyTasks(deps: EngineDeps, actor: Actor) {
  const today = businessDateOf(deps.now());
  const rows = await countOpenTasksFor(deps.db, actor, today);
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    today,
    open: sum((row) => row.open),
    overdue: sum((row) => row.overdue),
    dueToday: sum((row) => row.due_today),
    byKind: rows.map((row) => ({ kind: row.kind, open: row.open, overdue: row.overdue, dueToday: row.due_today })),
  };
}

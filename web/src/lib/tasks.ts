import type { Task } from '../api/types.ts';
import { dueStatusOf, type DueStatus } from './format.ts';

export interface TaskFilter {
  kind?: string | undefined;
  item?: number | undefined;
  /** Part of a project code or title. */
  project?: string | undefined;
}

/** Open tasks by due date, oldest first (ties by project code so the order is stable). */
export function sortByDue(tasks: readonly Task[]): Task[] {
  return [...tasks].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.projectCode.localeCompare(b.projectCode)));
}

export function filterTasks(tasks: readonly Task[], filter: TaskFilter): Task[] {
  const needle = filter.project?.trim().toLowerCase() ?? '';
  return tasks.filter(
    (task) =>
      (!filter.kind || task.kind === filter.kind) &&
      (filter.item === undefined || task.item === filter.item) &&
      (!needle || task.projectCode.toLowerCase().includes(needle) || task.projectTitle.toLowerCase().includes(needle)),
  );
}

/** How many open tasks of each kind, for the menu. */
export function countByKind(tasks: readonly Task[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const task of tasks) counts[task.kind] = (counts[task.kind] ?? 0) + 1;
  return counts;
}

export function countByDue(tasks: readonly Task[], today: string): Record<DueStatus, number> {
  const counts: Record<DueStatus, number> = { overdue: 0, today: 0, upcoming: 0 };
  for (const task of tasks) counts[dueStatusOf(task.dueDate, today)] += 1;
  return counts;
}


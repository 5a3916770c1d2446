import type { Actor } from '../../../machines/project.types.ts';
import { businessDateOf } from '../../domain/business-date.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { deadlineName, labelOf } from '../../i18n/messages.ts';
import { isTaskKind } from '../../domain/vocabulary.ts';
import { overdueWork } from '../../store/dashboard.store.ts';
import { requireDashboardReader } from './dashboard-access.ts';

const taskName = (kind: string) => (isTaskKind(kind) ? labelOf('task', kind) : { zh: kind, en: kind });

/** 逾期: deadlines and open tasks past their due date (Beijing today), counted per kind and item, the most overdue listed. */
export async function getOverduePanel(deps: EngineDeps, actor: Actor, limit = 50) {
  requireDashboardReader(actor.role);
  const today = businessDateOf(deps.now());
  const work = await overdueWork(deps.db, today, limit);
  const byKind = (counts: { kind: string; count: number }[], name: (kind: string) => { zh: string; en: string }) => {
    const totals = new Map<string, number>();
    for (const row of counts) totals.set(row.kind, (totals.get(row.kind) ?? 0) + row.count);
    return [...totals].map(([kind, count]) => ({ kind, name: name(kind), count })).sort((a, b) => b.count - a.count);
  };
  const byItem = new Map<number, number>();
  for (const row of [...work.deadlineCounts, ...work.taskCounts]) byItem.set(row.item, (byItem.get(row.item) ?? 0) + row.count);
  return {
    today,
    deadlines: {
      total: work.deadlineCounts.reduce((sum, row) => sum + row.count, 0),
      byKind: byKind(work.deadlineCounts, deadlineName),
      oldest: work.deadlines.map((row) => ({ projectId: row.project_id, code: row.code, item: row.item, deadline: row.deadline, name: deadlineName(row.deadline), dueDate: row.due_date })),
    },
    tasks: {
      total: work.taskCounts.reduce((sum, row) => sum + row.count, 0),
      byKind: byKind(work.taskCounts, taskName),
      oldest: work.tasks.map((row) => ({ projectId: row.project_id, code: row.code, item: row.item, kind: row.kind, name: taskName(row.kind), role: row.role, dueDate: row.due_date })),
    },
    byItem: [...byItem].map(([item, count]) => ({ item, count })).sort((a, b) => a.item - b.item),
  };
}

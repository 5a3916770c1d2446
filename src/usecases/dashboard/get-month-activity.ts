import type { Actor } from '../../../machines/project.types.ts';
import { businessDateOf } from '../../domain/business-date.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { monthActivity } from '../../store/dashboard.store.ts';
import { beijingRange, requireDashboardReader } from './dashboard-access.ts';

/** The decisions the panel counts: approval steps (and final approvals), rejections, returns for revision. */
const DECISIONS = ['SUBMIT', 'APPROVE', 'REJECT', 'RETURN'] as const;

function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/** 本月: new proposals (projects created) and decisions this Beijing calendar month. */
export async function getMonthActivity(deps: EngineDeps, actor: Actor) {
  requireDashboardReader(actor.role);
  const month = businessDateOf(deps.now()).slice(0, 7);
  const range = beijingRange(`${month}-01`, `${nextMonth(month)}-01`);
  const activity = await monthActivity(deps.db, range.from, range.to, DECISIONS);
  const count = (filter: (row: (typeof activity.decisions)[number]) => boolean) => activity.decisions.filter(filter).reduce((sum, row) => sum + row.count, 0);
  const byItem = new Map<number, { proposals: number; approved: number; rejected: number }>();
  const at = (item: number) => byItem.get(item) ?? byItem.set(item, { proposals: 0, approved: 0, rejected: 0 }).get(item)!;
  for (const row of activity.proposals) at(row.item).proposals += row.count;
  for (const row of activity.decisions) {
    if (row.type === 'APPROVE' && row.to_state === 'approved') at(row.item).approved += row.count;
    if (row.type === 'REJECT') at(row.item).rejected += row.count;
  }
  return {
    month,
    proposals: activity.proposals.reduce((sum, row) => sum + row.count, 0),
    submitted: count((row) => row.type === 'SUBMIT'),
    approvalSteps: count((row) => row.type === 'APPROVE'),
    approved: count((row) => row.type === 'APPROVE' && row.to_state === 'approved'),
    rejected: count((row) => row.type === 'REJECT'),
    returned: count((row) => row.type === 'RETURN'),
    byItem: [...byItem].map(([item, counts]) => ({ item, ...counts })).sort((a, b) => a.item - b.item),
  };
}

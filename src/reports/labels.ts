import { CATEGORIES, findItem, type PlanCategory, type PlanItem } from '../../config/plan.ts';
import { BUSINESS_TIME_ZONE, businessDateOf } from '../domain/business-date.ts';

/** Chinese names of the lifecycle states, as the reports show them. */
export const STATE_ZH: Record<string, string> = {
  'proposed.draft': '草稿',
  'proposed.review': '审核中',
  approved: '已批准',
  executing: '实施中',
  inspected: '检查中',
  'deviated-corrected.correcting': '整改中',
  'deviated-corrected.verifying': '整改核查中',
  'suspended.held': '暂缓',
  'suspended.stop-requested': '暂缓（拟停止）',
  'evaluated.self-evaluation': '绩效评价中',
  'evaluated.finance-review': '财政审核中',
  'evaluated.re-evaluation': '再评价中',
  'evaluated.accepted': '评价已通过',
  closed: '已结项',
  rejected: '未通过',
  withdrawn: '已撤回',
  terminated: '已停止',
};

export function stateZh(state: string): string {
  return STATE_ZH[state] ?? state;
}

export const COMPARATOR_ZH: Record<string, string> = { '>=': '≥', '<=': '≤', '=': '=', qualitative: '定性' };

export function itemOf(id: number): PlanItem {
  const item = findItem(id);
  if (!item) throw new RangeError(`unknown plan item ${id}`);
  return item;
}

export function categoryOf(id: number): PlanCategory {
  const category = CATEGORIES.find((c) => c.id === id);
  if (!category) throw new RangeError(`unknown plan category ${id}`);
  return category;
}

export const itemLabel = (id: number) => `${id}. ${itemOf(id).nameZh}`;
export const categoryLabel = (id: number) => `${categoryOf(id).numeral}、${categoryOf(id).nameZh}`;

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as Asia/Shanghai date and minute, e.g. 2024-10-08 10:00. */
export function businessDateTimeOf(instant: Date): string {
  const parts = Object.fromEntries(dateTime.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

export { businessDateOf };

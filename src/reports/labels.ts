import { CATEGORIES, findItem, type PlanCategory, type PlanItem } from '../../config/plan.ts';
import { BUSINESS_TIME_ZONE, businessDateOf } from '../domain/business-date.ts';
import { isProjectState, type ProjectState } from '../domain/vocabulary.ts';
import { en } from '../i18n/en.ts';
import { zhCN } from '../i18n/zh-CN.ts';

/** Chinese names of the lifecycle states, from the zh-CN catalogue (one place for every label). */
export const STATE_ZH: Readonly<Record<ProjectState, string>> = zhCN.state;

export function stateZh(state: string): string {
  return isProjectState(state) ? STATE_ZH[state] : state;
}

/** The English name of a lifecycle state, from the en catalogue. */
export function stateEn(state: string): string {
  return isProjectState(state) ? en.state[state] : state;
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

import type { TaskCounts } from '../api/types.ts';
import { isTaskKind, type TaskKind } from '../../../src/domain/vocabulary.ts';
import { TASK_KIND_NAMES } from './labels.ts';

/**
 * The inbox's filters live in the URL (?kind=review&item=5&q=YC-2026), so a filtered inbox can be
 * linked; the server filters, sorts (due date, then id) and pages them.
 */
export interface TaskFilter {
  kind?: TaskKind | undefined;
  item?: number | undefined;
  /** Part of a project code or title. */
  project?: string | undefined;
}

/** The filter a URL asks for; what is not a known kind, an item 1-13 or a search text is left out (never a 400 from a hand-edited link). */
export function taskFilterOf(params: URLSearchParams): TaskFilter {
  const kind = params.get('kind') ?? undefined;
  const item = Number(params.get('item'));
  const project = params.get('q')?.trim().slice(0, 100) || undefined;
  return {
    ...(kind && isTaskKind(kind) ? { kind } : {}),
    ...(Number.isInteger(item) && item >= 1 && item <= 13 ? { item } : {}),
    ...(project ? { project } : {}),
  };
}

/** The inbox's page: one screen and a little more, so the first page renders fast (1,000 open tasks, bench/results/web.json); "load more" asks for the next. */
export const INBOX_PAGE_SIZE = 25;

/** The query of GET /api/v1/tasks for one page of open tasks. */
export function taskQueryOf(filter: TaskFilter, cursor: string | null, limit = 50) {
  return {
    status: 'open' as const,
    limit,
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.item !== undefined ? { item: filter.item } : {}),
    ...(filter.project ? { project: filter.project } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

export { appendPage } from './paging.ts';

/** The menu's entries: each kind I have open tasks of, with its count, in the order of the kinds' list. */
export function menuEntries(counts: TaskCounts | null): { kind: string; open: number }[] {
  if (!counts) return [];
  const order = Object.keys(TASK_KIND_NAMES);
  const rank = (kind: string) => (order.includes(kind) ? order.indexOf(kind) : order.length);
  return counts.byKind
    .filter((entry) => entry.open > 0)
    .map((entry) => ({ kind: entry.kind, open: entry.open }))
    .sort((a, b) => rank(a.kind) - rank(b.kind) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)); // not localeCompare: it starts the ICU collator on every page
}

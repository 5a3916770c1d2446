import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listDisclosedProjects as listStored, totalDisclosedProjects, type DisclosureFilter } from '../../store/disclosure.store.ts';
import { disclosed, type DisclosedProject } from './list-disclosed-projects.ts';

/** The same disclosure with its count and sums, for the 公示 page. */
export async function pageDisclosedProjects(
  deps: Pick<EngineDeps, 'db'>,
  page: { limit: number; offset: number } & DisclosureFilter,
): Promise<{ items: DisclosedProject[]; count: number; approvedFen: number; disbursedFen: number }> {
  const { limit, offset, ...filter } = page;
  const [rows, totals] = await Promise.all([listStored(deps.db, limit, offset, filter), totalDisclosedProjects(deps.db, filter)]);
  return { items: rows.map(disclosed), count: totals.count, approvedFen: totals.committed_fen, disbursedFen: totals.disbursed_fen };
}

import { CATEGORIES, findItem } from '../../../config/plan.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import {
  listDisclosedProjects as listStored,
  type DisclosureFilter,
  type DisclosureRow,
} from '../../store/disclosure.store.ts';
import { PUBLIC_STATE_ZH, publicStateOf } from './public-state.ts';

export type { DisclosureFilter };

/** The plan's item names carry ASCII quotes ("阳城县企业服务平台"); a reader gets “”. */
const officialQuotes = (text: string) => text.replace(/"([^"]*)"/g, '“$1”');

export function disclosed(row: DisclosureRow) {
  const item = findItem(row.item)!;
  const category = CATEGORIES.find((c) => c.id === item.category)!;
  const state = publicStateOf(row.state);
  return {
    code: row.code,
    title: row.title,
    category: `${category.numeral} ${category.nameZh}`,
    item: { id: item.id, nameZh: officialQuotes(item.nameZh), nameEn: item.nameEn },
    applicant: row.org_name,
    /** The public state (see public-state.ts): supervision states read 实施中 until concluded. */
    state,
    stateZh: PUBLIC_STATE_ZH[state],
    approvedFen: row.committed_fen ?? 0,
    disbursedFen: row.disbursed_fen ?? 0,
    grade: row.grade,
  };
}

export type DisclosedProject = ReturnType<typeof disclosed>;

/**
 * The public disclosure (公开透明), no login: the one source of the JSON, the CSV and the 公示 page,
 * so none of them can show more than the others.
 */
export async function listDisclosedProjects(
  deps: Pick<EngineDeps, 'db'>,
  page: { limit: number; offset: number } & DisclosureFilter,
): Promise<DisclosedProject[]> {
  const { limit, offset, ...filter } = page;
  return (await listStored(deps.db, limit, offset, filter)).map(disclosed);
}

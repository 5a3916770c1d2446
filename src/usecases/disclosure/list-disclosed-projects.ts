import { CATEGORIES, findItem } from '../../../config/plan.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { stateZh } from '../../reports/labels.ts';
import { listDisclosedProjects as listStored, type DisclosureRow } from '../../store/disclosure.store.ts';

function disclosed(row: DisclosureRow) {
  const item = findItem(row.item)!;
  const category = CATEGORIES.find((c) => c.id === item.category)!;
  return {
    code: row.code,
    title: row.title,
    category: `${category.numeral} ${category.nameZh}`,
    item: { id: item.id, nameZh: item.nameZh, nameEn: item.nameEn },
    applicant: row.org_name,
    state: row.state,
    stateZh: stateZh(row.state),
    approvedFen: row.committed_fen ?? 0,
    disbursedFen: row.disbursed_fen ?? 0,
    grade: row.grade,
  };
}

/** The public disclosure (公开透明), no login. */
export async function listDisclosedProjects(deps: Pick<EngineDeps, 'db'>, page: { limit: number; offset: number }) {
  return (await listStored(deps.db, page.limit, page.offset)).map(disclosed);
}

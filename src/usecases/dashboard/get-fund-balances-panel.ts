import { CATEGORIES, findItem } from '../../../config/plan.ts';
import type { Actor } from '../../../machines/project.types.ts';
import { netCommittedFen, netDisbursedFen, outstandingFen, uncommittedFen } from '../../domain/ledger-model.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { sumCategoryBalances, sumFundBalances, sumItemBalances, type CeilingSumRow } from '../../store/dashboard.store.ts';
import { requireDashboardReader } from './dashboard-access.ts';

function movementsOf(row: { committed_fen: number; disbursed_fen: number; released_fen: number; recovered_fen: number }) {
  return { committedFen: row.committed_fen, disbursedFen: row.disbursed_fen, releasedFen: row.released_fen, recoveredFen: row.recovered_fen };
}

/**
 * A category's or item's row: its ceiling stands for "allocated" (null: no ceiling of its own, the
 * fund bounds it) and "available" is the ceiling less the net commitments, the same left side as
 * the ceiling CHECK constraints (ledger-model netCommittedFen).
 */
function ceilingRow(row: CeilingSumRow) {
  const movements = movementsOf(row);
  return {
    ceilingFen: row.ceiling_fen,
    ...movements,
    netCommittedFen: netCommittedFen(movements),
    netDisbursedFen: netDisbursedFen(movements),
    availableFen: row.ceiling_fen === null ? null : row.ceiling_fen - netCommittedFen(movements),
  };
}

/** 资金: allocated, committed, disbursed, released, recovered and available, in total, per category and per item. */
export async function getFundBalancesPanel(deps: EngineDeps, actor: Actor, fundId: string | null) {
  requireDashboardReader(actor.role);
  const [totals, categories, items] = await Promise.all([
    sumFundBalances(deps.db, fundId),
    sumCategoryBalances(deps.db, fundId),
    sumItemBalances(deps.db, fundId),
  ]);
  const movements = movementsOf(totals);
  return {
    fundId,
    funds: totals.funds,
    totals: {
      allocatedFen: totals.allocated_fen,
      ...movements,
      availableFen: uncommittedFen({ ...movements, allocatedFen: totals.allocated_fen }),
      outstandingCommitmentFen: outstandingFen(movements),
    },
    categories: categories.map((row) => {
      const category = CATEGORIES.find((c) => c.id === row.key)!;
      return { id: category.id, nameZh: `${category.numeral}、${category.nameZh}`, nameEn: category.nameEn, ...ceilingRow(row) };
    }),
    items: items.map((row) => {
      const item = findItem(row.key)!;
      return { id: item.id, category: item.category, nameZh: item.nameZh, nameEn: item.nameEn, ...ceilingRow(row) };
    }),
  };
}

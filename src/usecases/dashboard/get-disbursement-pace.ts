import { findItem } from '../../../config/plan.ts';
import type { Actor } from '../../../machines/project.types.ts';
import { businessDateOf } from '../../domain/business-date.ts';
import { netCommittedFen, netDisbursedFen } from '../../domain/ledger-model.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { sumItemBalances, sumFundBalances } from '../../store/dashboard.store.ts';
import { requireDashboardReader } from './dashboard-access.ts';

/** Percent with one decimal, from integers (null when there is nothing to divide by). */
const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part * 1000) / whole) / 10 : null);

/** Share of the Beijing calendar year elapsed by `today` (the programme's money is planned per year). */
export function elapsedPercentOfYear(today: string): number {
  const year = Number(today.slice(0, 4));
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const now = Date.UTC(year, Number(today.slice(5, 7)) - 1, Number(today.slice(8, 10)) + 1);
  return Math.round(((now - start) * 1000) / (end - start)) / 10;
}

/**
 * 拨付进度: money paid out (net of recoveries) against the money committed (net of releases), in
 * total and per item, beside the share of the year elapsed. An item far below the elapsed share
 * is paying out slowly.
 */
export async function getDisbursementPace(deps: EngineDeps, actor: Actor, fundId: string | null) {
  requireDashboardReader(actor.role);
  const today = businessDateOf(deps.now());
  const [totals, items] = await Promise.all([sumFundBalances(deps.db, fundId), sumItemBalances(deps.db, fundId)]);
  const row = (sums: { committed_fen: number; disbursed_fen: number; released_fen: number; recovered_fen: number }) => {
    const movements = { committedFen: sums.committed_fen, disbursedFen: sums.disbursed_fen, releasedFen: sums.released_fen, recoveredFen: sums.recovered_fen };
    const committed = netCommittedFen(movements);
    const disbursed = netDisbursedFen(movements);
    return { netCommittedFen: committed, netDisbursedFen: disbursed, disbursedPercent: percent(disbursed, committed) };
  };
  return {
    today,
    elapsedPercent: elapsedPercentOfYear(today),
    total: row(totals),
    items: items.map((sums) => ({ item: sums.key, nameZh: findItem(sums.key)!.nameZh, nameEn: findItem(sums.key)!.nameEn, ...row(sums) })),
  };
}

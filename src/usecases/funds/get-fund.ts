import { CATEGORIES, findItem } from '../../../config/plan.ts';
import type { Actor } from '../../../machines/project.types.ts';
import { AppError } from '../../engine/app-error.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findFund, listCategoryBalances, listItemBalances } from '../../store/ledger.store.ts';
import { balanceOf, fundView } from './fund-view.ts';
import { requireReader } from './read-policy.ts';

/** One fund with its balances by category and by item. */
export async function getFund(deps: EngineDeps, actor: Actor, fundId: string) {
  requireReader('money', actor.role, 'a fund');
  const fund = await findFund(deps.db, fundId);
  if (!fund) throw new AppError('not-found', `fund ${fundId} does not exist`);
  const [categories, items] = await Promise.all([listCategoryBalances(deps.db, fundId), listItemBalances(deps.db, fundId)]);
  return {
    ...fundView(fund),
    categories: categories.map((row) => ({ ...CATEGORIES.find((c) => c.id === row.category)!, ...balanceOf(row) })),
    items: items.map((row) => ({ ...findItem(row.item)!, ...balanceOf(row) })),
  };
}

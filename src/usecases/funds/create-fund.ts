import type { Actor } from '../../../machines/project.types.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { createFund as insertFund, findFund, type FundInput } from '../../store/ledger.store.ts';
import { fundView } from './fund-view.ts';
import { requireWriter } from './read-policy.ts';

/**
 * Records a fund received (a 专项资金 document) with its category and item ceilings. `readInput`
 * validates the body and runs only once the caller is authorised: a refused caller learns nothing
 * about what a valid body looks like.
 */
export async function createFund(deps: EngineDeps, actor: Actor, readInput: () => FundInput) {
  requireWriter(['admin', 'finance'], actor.role, 'recording a fund');
  const input = readInput();
  const id = await insertFund(deps.db, input, actor.userId, deps.now().toISOString());
  return fundView((await findFund(deps.db, id))!);
}

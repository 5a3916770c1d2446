import type { Actor } from '../../../machines/project.types.ts';
import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listFunds as listStoredFunds } from '../../store/ledger.store.ts';
import { fundView } from './fund-view.ts';
import { requireReader } from './read-policy.ts';

export async function listFunds(deps: EngineDeps, actor: Actor) {
  requireReader('money', actor.role, 'the fund list');
  return (await listStoredFunds(deps.db)).map(fundView);
}

import type { EngineDeps } from '../../engine/engine-deps.ts';
import { addPriorSupport as addStored, findBeneficiary, type PriorSupportRow } from '../../store/beneficiaries.store.ts';

/** Records support a beneficiary already had; undefined when the beneficiary is not registered yet. */
export async function addPriorSupport(deps: Pick<EngineDeps, 'db'>, input: Omit<PriorSupportRow, 'id'>, recordedBy: string): Promise<PriorSupportRow | undefined> {
  if (!(await findBeneficiary(deps.db, input.beneficiary_code))) return undefined;
  return addStored(deps.db, input, recordedBy);
}

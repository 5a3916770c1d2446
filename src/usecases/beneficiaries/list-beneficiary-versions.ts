import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listBeneficiaryVersions as listStored, type BeneficiaryVersionRow } from '../../store/beneficiaries.store.ts';

/** Every version of a beneficiary, oldest first; empty for an unknown credit code. */
export function listBeneficiaryVersions(deps: Pick<EngineDeps, 'db'>, code: string): Promise<BeneficiaryVersionRow[]> {
  return listStored(deps.db, code);
}

import type { EngineDeps } from '../../engine/engine-deps.ts';
import { listBeneficiaries as listStored, type BeneficiaryRow } from '../../store/beneficiaries.store.ts';

export type { BeneficiaryRow };

/** Beneficiaries by credit code, optionally only those on (or off) the listing reserve list. */
export function listBeneficiaries(deps: Pick<EngineDeps, 'db'>, options: { listingReserve?: boolean; limit: number; offset: number }): Promise<BeneficiaryRow[]> {
  return listStored(deps.db, options);
}

import type { EngineDeps } from '../../engine/engine-deps.ts';
import { upsertBeneficiary, type BeneficiaryRow } from '../../store/beneficiaries.store.ts';

export type { BeneficiaryRow };

/** Adds a beneficiary or changes it; every change is a new version (who, when). */
export function saveBeneficiary(
  deps: Pick<EngineDeps, 'db'>,
  input: Parameters<typeof upsertBeneficiary>[1],
  change: { by: string | null; at: Date },
): Promise<BeneficiaryRow & { version: number }> {
  return upsertBeneficiary(deps.db, input, change);
}

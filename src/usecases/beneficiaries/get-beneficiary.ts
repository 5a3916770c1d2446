import type { EngineDeps } from '../../engine/engine-deps.ts';
import { findBeneficiary, listPriorSupport, type BeneficiaryRow, type PriorSupportRow } from '../../store/beneficiaries.store.ts';

export type { PriorSupportRow };

/** A beneficiary with the support it already had, or undefined for an unknown credit code. */
export async function getBeneficiary(deps: Pick<EngineDeps, 'db'>, code: string): Promise<{ beneficiary: BeneficiaryRow; priorSupport: PriorSupportRow[] } | undefined> {
  const beneficiary = await findBeneficiary(deps.db, code);
  if (!beneficiary) return undefined;
  return { beneficiary, priorSupport: await listPriorSupport(deps.db, code) };
}

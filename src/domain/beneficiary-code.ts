/**
 * Whose 统一社会信用代码 the 就高不重复 check uses (issue 11). By default the applicant
 * organisation's registered code; a typed code that differs counts only once center staff have
 * confirmed exactly that code at review; items that benefit an enterprise need a code.
 */
export interface BeneficiaryCodeFacts {
  /** The code the applicant typed in the proposal, if any. */
  typed: string | null | undefined;
  /** The applicant organisation's registered code, if it has one. */
  registered: string | null | undefined;
  /** The code center staff confirmed at review (APPROVE confirmBeneficiaryCreditCode), if any. */
  confirmed: string | null | undefined;
  /** Whether the plan item benefits an enterprise (config/beneficiary-rules.ts). */
  enterpriseItem: boolean;
}

export type BeneficiaryCodeDecision =
  | { ok: true; code: string | null; source: 'registered' | 'typed' | 'confirmed' | 'none' }
  | { ok: false; reason: 'beneficiary-code-required' | 'beneficiary-code-unconfirmed'; message: string };

const normal = (code: string | null | undefined) => (code ? code.normalize('NFKC').trim().toUpperCase() : null);

export function decideBeneficiaryCode(facts: BeneficiaryCodeFacts): BeneficiaryCodeDecision {
  const typed = normal(facts.typed);
  const registered = normal(facts.registered);
  if (typed && registered && typed !== registered) {
    if (normal(facts.confirmed) === typed) return { ok: true, code: typed, source: 'confirmed' };
    return {
      ok: false,
      reason: 'beneficiary-code-unconfirmed',
      message: `受益单位统一社会信用代码 ${typed} 与申报单位登记的 ${registered} 不一致，须由县促进中心在审核时确认该代码 / the beneficiary code ${typed} differs from the applicant's registered ${registered}; center staff must confirm it at review (confirmBeneficiaryCreditCode)`,
    };
  }
  const code = registered ?? typed;
  if (code) return { ok: true, code, source: registered ? 'registered' : 'typed' };
  if (facts.enterpriseItem) {
    return {
      ok: false,
      reason: 'beneficiary-code-required',
      message: '本事项支持企业，须填写受益企业统一社会信用代码 / this item benefits an enterprise: beneficiaryCreditCode is required',
    };
  }
  return { ok: true, code: null, source: 'none' };
}

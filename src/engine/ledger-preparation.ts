import type { LifecycleRules } from '../../config/lifecycle-rules.ts';
import type { ProjectSnapshot } from '../../machines/project.refusals.ts';
import type { ProjectEventType } from '../../machines/project.schemas.ts';
import { formatYuan } from '../domain/money.ts';
import { isLastApprovalStep } from '../domain/lifecycle-checks.ts';
import type { Database } from '../store/database.ts';
import { availableFen, listFunds, type ProjectLedgerWrite } from '../store/ledger.store.ts';
import { AppError } from './app-error.ts';
import { refusal } from '../domain/refusal.ts';
import { decideOverlap, resolveBeneficiaryCode } from './overlap-decision.ts';
import type { BeneficiaryFacts } from '../domain/item-rules.ts';
import { findBeneficiary } from '../store/beneficiaries.store.ts';

/**
 * Reads what a command needs from the ledger BEFORE the pure transition (load first, decide purely,
 * then write): the fund a final approval commits from, the 就高不重复 decision, and whether the plan
 * still has money for a new submission. Returns fields the engine stamps on the event.
 */
export async function prepareLedgerFacts(
  db: Database,
  snapshot: ProjectSnapshot,
  state: string,
  type: ProjectEventType,
  payload: Record<string, unknown>,
  todayOf: () => string,
  rules: LifecycleRules,
): Promise<Record<string, unknown>> {
  if (type === 'SUBMIT') {
    await assertPlanHasMoney(db, todayOf());
    // An item that benefits an enterprise needs a beneficiary code (typed, or the organisation's registered one).
    const code = await resolveBeneficiaryCode(db, snapshot.context, snapshot.context.proposal.beneficiaryCreditCode ?? undefined);
    // Item 12's enterprise type (and item 11's usual board) come from the beneficiary registry.
    const beneficiaryFacts: BeneficiaryFacts = { code, qualifications: code ? ((await findBeneficiary(db, code))?.qualifications ?? null) : null };
    return { beneficiaryFacts };
  }
  const confirmed = payload.confirmBeneficiaryCreditCode as string | undefined;
  if (confirmed !== undefined && (state !== 'proposed.review' || snapshot.context.approval.chain[snapshot.context.approval.step] !== 'center')) {
    throw AppError.badInput([{ field: 'confirmBeneficiaryCreditCode', message: 'only center staff confirm a beneficiary code, at their review step' }]);
  }
  if (type === 'APPROVE' && state === 'proposed.review' && !isLastApprovalStep(snapshot.context)) {
    // Center review: a typed beneficiary code that differs from the registered one needs center's confirmation now.
    await resolveBeneficiaryCode(db, snapshot.context, confirmed);
  }
  if (type !== 'APPROVE' || state !== 'proposed.review' || !isLastApprovalStep(snapshot.context)) return {};
  const today = todayOf();
  const { decision: overlapDecision, keys: overlapKeys } = await decideOverlap(db, snapshot.context, rules, confirmed);
  // Under a top-up the approvable amount is the difference; approving without naming an amount approves it.
  const topUp = overlapDecision.outcome === 'top-up' && payload.approvedFen === undefined ? { approvedFen: overlapDecision.approvableFen } : {};
  const amount = (payload.approvedFen as number | undefined) ?? overlapDecision.approvableFen ?? snapshot.context.proposal.requestedFen;
  const funds = (await listFunds(db)).filter((fund) => fund.received_on <= today);
  const requested = payload.fundId as string | undefined;
  if (requested) {
    const fund = funds.find((candidate) => candidate.fund_id === requested);
    if (!fund) throw AppError.badInput([{ field: 'fundId', message: 'no such fund, or it has not been received yet' }]);
    return { fundId: fund.fund_id, overlapDecision, overlapKeys, ...topUp };
  }
  const fund = funds.find((candidate) => availableFen(candidate) >= amount);
  if (!fund) {
    const largest = Math.max(0, ...funds.map(availableFen));
    const why = refusal(
      'fund-cannot-commit',
      `可用资金不足：批准金额 ${formatYuan(amount)} 元，各项资金剩余最多 ${formatYuan(largest)} 元`,
      `no fund has ${formatYuan(amount)} 元 uncommitted (the most any fund has left is ${formatYuan(largest)} 元)`,
      { amountFen: amount, largestFen: largest },
    );
    throw AppError.refused('guard-refused', [why], { reasons: ['fund-cannot-commit'] });
  }
  return { fundId: fund.fund_id, overlapDecision, overlapKeys, ...topUp };
}

async function assertPlanHasMoney(db: Database, today: string): Promise<void> {
  const funds = (await listFunds(db)).filter((fund) => fund.received_on <= today);
  if (!funds.some((fund) => availableFen(fund) > 0)) {
    const why =
      funds.length === 0
        ? refusal('fund-not-received', '奖励资金尚未到位，暂不受理申报', 'no fund has been received yet: the plan is valid from the day the finance bureau receives the money')
        : refusal('fund-exhausted', '奖励资金已全部安排，暂停受理新的申报', 'the fund is exhausted: the plan is valid until the money is used up, so no new proposals are accepted');
    throw AppError.refused('guard-refused', [why], { reasons: ['fund-exhausted'] });
  }
}

/** The ledger movement a transition's actions ask for, or none (a zero release is no movement). */
export function ledgerWriteFor(
  actions: readonly { type: string; params?: unknown }[],
  base: Omit<ProjectLedgerWrite, 'kind' | 'amountFen' | 'fundId'> & { fundId: string | null },
): ProjectLedgerWrite | undefined {
  const entries = actions
    .filter((action) => action.type === 'recordLedger')
    .map((action) => action.params as { entry: ProjectLedgerWrite['kind']; amountFen: number })
    .filter((entry) => entry.amountFen > 0);
  if (entries.length > 1) throw new Error('a transition may move money once');
  const [entry] = entries;
  if (!entry) return undefined;
  if (!base.fundId) throw new Error(`a ${entry.entry} without a fund`);
  return { ...base, fundId: base.fundId, kind: entry.entry, amountFen: entry.amountFen };
}

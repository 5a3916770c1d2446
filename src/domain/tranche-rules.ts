import type { TrancheRules } from '../../config/ledger-rules.ts';
import type { InspectionOutcome, ProjectContext } from './project.types.ts';
import { businessDateOf } from './business-date.ts';
import { formatYuan } from './money.ts';
import { refusal, type Refusal } from './refusal.ts';

/**
 * Tranche rules (issue 3, item 3): config says what must have happened before a tranche is paid;
 * this guard decides for one proposed disbursement from facts the caller loads first. It is a
 * second guard next to the ledger's `checkEntry` (which keeps the money and state rules): run
 * both, and a refused disbursement names the rule that refused it.
 *
 * Amounts may be bigint or safe-integer numbers (the machine context carries numbers); they are
 * compared as bigint.
 */
export type { TrancheRules } from '../../config/ledger-rules.ts';
export { trancheRulesSchema } from '../../config/ledger-rules.ts';

export interface TrancheFacts {
  /** Tranches already paid to the project. 0 means the proposed one is the first. */
  trancheCount: number;
  /** Outcome of the latest inspection; null when there is none or it is not concluded yet. */
  lastInspectionOutcome: InspectionOutcome | null;
  /** Business date (YYYY-MM-DD, Asia/Shanghai) of the latest inspection. */
  lastInspectionDate: string | null;
  /** Instant of the latest progress report that counts (accepted, where acceptance exists). */
  lastProgressAt: string | null;
  /** Instant of the latest disbursement; required when trancheCount > 0. */
  lastDisbursementAt: string | null;
  suspended: boolean;
  committedFen: bigint | number;
  disbursedFen: bigint | number;
  /** Commitment already released (normally 0 while a project can still be paid). */
  releasedFen?: bigint | number;
  /** The proposed tranche. */
  amountFen: bigint | number;
}

export type TrancheRule =
  | 'tranche-held-while-suspended'
  | 'tranche-amount-not-positive'
  | 'tranche-exceeds-commitment'
  | 'first-tranche-over-percent'
  | 'later-tranche-needs-on-track-inspection'
  | 'later-tranche-needs-progress-report'
  | 'later-tranche-needs-inspection-or-report';

/** Null when the tranche may be paid, else the refusal coded by the rule that refused it. */
export type TrancheCheck = (Refusal & { code: TrancheRule }) | null;

function refuse(rule: TrancheRule, zh: string, en: string): TrancheCheck {
  return refusal(rule, zh, en) as Refusal & { code: TrancheRule };
}

const yuan = (fen: bigint) => `${formatYuan(fen)} 元`;

/** Percent (at most two decimals) as integer basis points, so the cap is computed in bigint. */
function basisPoints(percent: number): bigint {
  return BigInt(Math.round(percent * 100));
}

/**
 * Whether the proposed tranche may be paid. Rules, in order:
 *   1. held while the project is suspended;
 *   2. amount > 0 and <= the commitment left (committed - disbursed - released);
 *   3. first tranche (trancheCount 0): at most `firstTrancheMaxPercent` of the commitment;
 *   4. later tranches, per `laterTrancheRequires`, need *since the last disbursement*:
 *      'inspection-on-track': the latest inspection concluded on-track and dated on or after the
 *        business date of the last disbursement (same day counts: an inspection is dated by day);
 *      'progress-report': a progress report after the last disbursement (instants, strictly after);
 *      'either': one of the two; 'none': nothing.
 * Facts that contradict themselves (a later tranche without `lastDisbursementAt`) are a caller bug
 * and throw, rather than silently letting money through.
 */
export function checkTranche(rules: TrancheRules, facts: TrancheFacts): TrancheCheck {
  const amount = BigInt(facts.amountFen);
  const committed = BigInt(facts.committedFen);
  const left = committed - BigInt(facts.disbursedFen) - BigInt(facts.releasedFen ?? 0);

  if (rules.holdWhileSuspended && facts.suspended) {
    return refuse('tranche-held-while-suspended', '项目暂缓期间暂停拨付', 'tranches are held while the project is suspended');
  }
  if (amount <= 0n) {
    return refuse('tranche-amount-not-positive', `拨付金额必须大于 0，本次为 ${yuan(amount)}`, `the tranche must be more than 0, got ${yuan(amount)}`);
  }
  if (amount > left) {
    return refuse(
      'tranche-exceeds-commitment',
      `拨付超过剩余占用额：尚可拨付 ${yuan(left < 0n ? 0n : left)}，本次 ${yuan(amount)}`,
      `the tranche exceeds the commitment left: ${yuan(left < 0n ? 0n : left)} left, ${yuan(amount)} requested`,
    );
  }

  if (facts.trancheCount === 0) {
    if (rules.firstTrancheMaxPercent !== undefined) {
      const bp = basisPoints(rules.firstTrancheMaxPercent);
      if (amount * 10_000n > committed * bp) {
        const cap = (committed * bp) / 10_000n;
        return refuse(
          'first-tranche-over-percent',
          `首笔拨付不得超过占用额的 ${rules.firstTrancheMaxPercent}%（${yuan(cap)}），本次 ${yuan(amount)}`,
          `the first tranche may be at most ${rules.firstTrancheMaxPercent}% of the commitment (${yuan(cap)}), ${yuan(amount)} requested`,
        );
      }
    }
    return null;
  }

  if (rules.laterTrancheRequires === 'none') return null;
  if (facts.lastDisbursementAt === null) {
    throw new TypeError(`tranche facts: trancheCount is ${facts.trancheCount} but lastDisbursementAt is null`);
  }
  const lastPaidAt = Date.parse(facts.lastDisbursementAt);
  if (Number.isNaN(lastPaidAt)) throw new TypeError(`tranche facts: lastDisbursementAt ${facts.lastDisbursementAt} is not an instant`);
  const lastPaidOn = businessDateOf(new Date(lastPaidAt));

  const inspectionOnTrack =
    facts.lastInspectionOutcome === 'on-track' && facts.lastInspectionDate !== null && facts.lastInspectionDate >= lastPaidOn;
  const progressSince = facts.lastProgressAt !== null && Date.parse(facts.lastProgressAt) > lastPaidAt;

  switch (rules.laterTrancheRequires) {
    case 'inspection-on-track':
      return inspectionOnTrack
        ? null
        : refuse(
            'later-tranche-needs-on-track-inspection',
            `后续拨付须在上次拨付（${lastPaidOn}）后有一次结论为“正常”的检查`,
            `a later tranche needs an inspection concluded on-track since the last disbursement (${lastPaidOn})`,
          );
    case 'progress-report':
      return progressSince
        ? null
        : refuse(
            'later-tranche-needs-progress-report',
            `后续拨付须在上次拨付（${lastPaidOn}）后提交进度报告`,
            `a later tranche needs a progress report since the last disbursement (${lastPaidOn})`,
          );
    case 'either':
      return inspectionOnTrack || progressSince
        ? null
        : refuse(
            'later-tranche-needs-inspection-or-report',
            `后续拨付须在上次拨付（${lastPaidOn}）后有结论为“正常”的检查或进度报告`,
            `a later tranche needs an on-track inspection or a progress report since the last disbursement (${lastPaidOn})`,
          );
  }
}

/**
 * Builds the facts from the machine's context. The context does not know when the last tranche
 * was paid: pass the ledger's `ProjectBalance.lastDisbursedAt`. Progress reports are recorded, not
 * accepted, in the current machine, so the latest recorded report counts.
 */
export function trancheFactsOf(context: ProjectContext, amountFen: bigint | number, lastDisbursementAt: string | null): TrancheFacts {
  return {
    trancheCount: context.trancheCount,
    lastInspectionOutcome: context.lastInspection?.outcome ?? null,
    lastInspectionDate: context.lastInspection?.date ?? null,
    lastProgressAt: context.lastProgress?.at ?? null,
    lastDisbursementAt,
    suspended: context.suspension !== null,
    committedFen: context.committedFen,
    disbursedFen: context.disbursedFen,
    amountFen,
  };
}

import type { LedgerEntry } from '../api/types.ts';

export interface MoneySummary {
  approvedFen: number;
  disbursedFen: number;
  releasedFen: number;
  recoveredFen: number;
  /** Commitment left to disburse: approved − disbursed − released. */
  remainingFen: number;
}

/** A project's money from its ledger entries (integer fen throughout). */
export function summarizeLedger(entries: readonly Pick<LedgerEntry, 'kind' | 'amountFen'>[]): MoneySummary {
  const sum = (kind: LedgerEntry['kind']) => entries.filter((entry) => entry.kind === kind).reduce((total, entry) => total + entry.amountFen, 0);
  const approvedFen = sum('commit');
  const disbursedFen = sum('disburse');
  const releasedFen = sum('release');
  return { approvedFen, disbursedFen, releasedFen, recoveredFen: sum('recover'), remainingFen: Math.max(0, approvedFen - disbursedFen - releasedFen) };
}

/** What the project's own record says, for readers who may not see the ledger (applicants). */
export function summarizeContext(context: { committedFen: number; disbursedFen: number }): MoneySummary {
  return {
    approvedFen: context.committedFen,
    disbursedFen: context.disbursedFen,
    releasedFen: 0,
    recoveredFen: 0,
    remainingFen: Math.max(0, context.committedFen - context.disbursedFen),
  };
}

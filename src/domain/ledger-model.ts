/**
 * The fund ledger's rules as a pure model. The ledger itself is PostgreSQL's: the balance rows and
 * their CHECK constraints (src/store/migrations/002_ledger.sql) written by src/store/ledger.store.ts.
 * This model restates those constraints with the SAME formulas, and serves as the oracle of a
 * differential property test (tests/integration/ledger-model.test.ts): random movements go through
 * both, and the balances and the refusing constraint must agree. The balance formulas below are
 * the ones every reader uses (reports, the funds API, the daily checks).
 */

export interface Movements {
  committedFen: number;
  disbursedFen: number;
  releasedFen: number;
  recoveredFen: number;
}

/** Committed and not released: what a ceiling and the fund's allocation bound (the SQL CHECKs' left side). */
export function netCommittedFen(m: Pick<Movements, 'committedFen' | 'releasedFen'>): number {
  return m.committedFen - m.releasedFen;
}

/** Paid and not recovered. */
export function netDisbursedFen(m: Pick<Movements, 'disbursedFen' | 'recoveredFen'>): number {
  return m.disbursedFen - m.recoveredFen;
}

/** Committed, neither released nor paid yet: what may still be disbursed. */
export function outstandingFen(m: Pick<Movements, 'committedFen' | 'releasedFen' | 'disbursedFen'>): number {
  return m.committedFen - m.releasedFen - m.disbursedFen;
}

/** A fund's money not committed: allocation and recoveries, less the net commitments. */
export function uncommittedFen(fund: Movements & { allocatedFen: number }): number {
  return fund.allocatedFen + fund.recoveredFen - netCommittedFen(fund);
}

export type ProjectLedgerKind = 'commit' | 'disburse' | 'release' | 'recover';

/** The constraint names of 002_ledger.sql, plus a movement of a project with no commitment in the fund. */
export type LedgerRefusalCode =
  | 'project_not_overpaid'
  | 'project_recovery_within_paid'
  | 'fund_not_overcommitted'
  | 'fund_releases_within_commitments'
  | 'category_within_ceiling'
  | 'item_within_ceiling'
  | 'no-commitment';

export interface ModelFund extends Movements {
  allocatedFen: number;
  categories: Map<number, Movements & { ceilingFen: number | null }>;
  items: Map<number, Movements & { ceilingFen: number | null; category: number }>;
  projects: Map<string, Movements & { item: number }>;
}

const KEY: Record<ProjectLedgerKind, keyof Movements> = {
  commit: 'committedFen',
  disburse: 'disbursedFen',
  release: 'releasedFen',
  recover: 'recoveredFen',
};

const add = <T extends Movements>(row: T, kind: ProjectLedgerKind, amountFen: number): T => ({ ...row, [KEY[kind]]: row[KEY[kind]] + amountFen });
const ZERO: Movements = { committedFen: 0, disbursedFen: 0, releasedFen: 0, recoveredFen: 0 };

/**
 * Applies one movement of a project (its item and category given) to the fund, or says which rule
 * refuses it and leaves the fund unchanged. Rows are checked in the order the statement writes
 * them (project, fund, category, item) and, within a row, constraints by name, as PostgreSQL does.
 */
export function applyMovement(
  fund: ModelFund,
  move: { kind: ProjectLedgerKind; projectId: string; item: number; category: number; amountFen: number },
): { ok: true; fund: ModelFund } | { ok: false; code: LedgerRefusalCode } {
  const existing = fund.projects.get(move.projectId);
  if (!existing && move.kind !== 'commit') return { ok: false, code: 'no-commitment' };
  const project = add(existing ?? { ...ZERO, item: move.item }, move.kind, move.amountFen);
  if (project.disbursedFen + project.releasedFen > project.committedFen) return { ok: false, code: 'project_not_overpaid' };
  if (project.recoveredFen > project.disbursedFen) return { ok: false, code: 'project_recovery_within_paid' };
  const totals = add(fund, move.kind, move.amountFen);
  if (netCommittedFen(totals) > totals.allocatedFen + totals.recoveredFen) return { ok: false, code: 'fund_not_overcommitted' };
  if (totals.releasedFen > totals.committedFen) return { ok: false, code: 'fund_releases_within_commitments' };
  const category = add(fund.categories.get(move.category)!, move.kind, move.amountFen);
  if (category.ceilingFen !== null && netCommittedFen(category) > category.ceilingFen) return { ok: false, code: 'category_within_ceiling' };
  const item = add(fund.items.get(move.item)!, move.kind, move.amountFen);
  if (item.ceilingFen !== null && netCommittedFen(item) > item.ceilingFen) return { ok: false, code: 'item_within_ceiling' };
  return {
    ok: true,
    fund: {
      ...totals,
      categories: new Map(fund.categories).set(move.category, category),
      items: new Map(fund.items).set(move.item, item),
      projects: new Map(fund.projects).set(move.projectId, project),
    },
  };
}

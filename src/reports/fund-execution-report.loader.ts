import type { Database } from '../store/database.ts';
import { findFund, listFunds, type FundBalanceRow, type LedgerKind } from '../store/ledger.store.ts';

export interface BalanceSums {
  ceiling_fen: number | null;
  committed_fen: number;
  disbursed_fen: number;
  released_fen: number;
  recovered_fen: number;
}

export interface FundExecutionSource {
  /** null: every fund together. */
  fundId: string | null;
  funds: FundBalanceRow[];
  categories: (BalanceSums & { category: number })[];
  items: (BalanceSums & { item: number; category: number; projects: number })[];
  /** Sum of ledger_entries.amount_fen per kind: the ledger the balances must agree with. */
  ledger: Record<LedgerKind, number>;
}

const SUMS = `sum(committed_fen)::int8 AS committed_fen, sum(disbursed_fen)::int8 AS disbursed_fen,
  sum(released_fen)::int8 AS released_fen, sum(recovered_fen)::int8 AS recovered_fen,
  CASE WHEN count(ceiling_fen) = count(*) THEN sum(ceiling_fen)::int8 END AS ceiling_fen`;

/** Undefined when fundId names no fund. Without fundId, balances are summed over every fund. */
export async function loadFundExecutionSource(db: Database, fundId: string | null): Promise<FundExecutionSource | undefined> {
  const funds = fundId ? [await findFund(db, fundId)].filter((fund): fund is FundBalanceRow => fund !== undefined) : await listFunds(db);
  if (fundId && funds.length === 0) return undefined;
  const [categories, items, projectCounts, ledgerRows] = await Promise.all([
    db.query<BalanceSums & { category: number }>(
      `SELECT category, ${SUMS} FROM fund_category_balances WHERE ($1::uuid IS NULL OR fund_id = $1::uuid) GROUP BY category ORDER BY category`,
      [fundId],
    ),
    db.query<BalanceSums & { item: number; category: number }>(
      `SELECT item, min(category) AS category, ${SUMS} FROM fund_item_balances WHERE ($1::uuid IS NULL OR fund_id = $1::uuid)
        GROUP BY item ORDER BY item`,
      [fundId],
    ),
    db.query<{ item: number; projects: number }>(
      `SELECT item, count(*)::int8 AS projects FROM project_balances WHERE ($1::uuid IS NULL OR fund_id = $1::uuid) GROUP BY item`,
      [fundId],
    ),
    db.query<{ kind: LedgerKind; total: number }>(
      `SELECT kind, sum(amount_fen)::int8 AS total FROM ledger_entries WHERE ($1::uuid IS NULL OR fund_id = $1::uuid) GROUP BY kind`,
      [fundId],
    ),
  ]);
  const counts = new Map(projectCounts.map((row) => [row.item, row.projects]));
  const ledger: Record<LedgerKind, number> = { allocate: 0, commit: 0, disburse: 0, release: 0, recover: 0 };
  for (const row of ledgerRows) ledger[row.kind] = row.total;
  return {
    fundId,
    funds,
    categories,
    items: items.map((row) => ({ ...row, projects: counts.get(row.item) ?? 0 })),
    ledger,
  };
}

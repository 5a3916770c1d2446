import { availableFen, type FundBalanceRow } from '../../store/ledger.store.ts';

export function fundView(fund: FundBalanceRow) {
  const available = availableFen(fund);
  return {
    id: fund.fund_id,
    sourceDocument: fund.source_document,
    name: fund.name,
    receivedOn: fund.received_on,
    status: available > 0 ? 'open' : 'exhausted',
    balances: {
      allocatedFen: fund.allocated_fen,
      committedFen: fund.committed_fen,
      disbursedFen: fund.disbursed_fen,
      releasedFen: fund.released_fen,
      recoveredFen: fund.recovered_fen,
      availableFen: available,
      outstandingCommitmentFen: fund.committed_fen - fund.disbursed_fen - fund.released_fen,
    },
  };
}

export function balanceOf(row: { ceiling_fen: number | null; committed_fen: number; disbursed_fen: number; released_fen: number; recovered_fen: number }) {
  return {
    ceilingFen: row.ceiling_fen,
    committedFen: row.committed_fen,
    disbursedFen: row.disbursed_fen,
    releasedFen: row.released_fen,
    recoveredFen: row.recovered_fen,
    netCommittedFen: row.committed_fen - row.released_fen,
  };
}

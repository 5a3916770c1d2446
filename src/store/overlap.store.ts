import type { OverlapKeys } from '../domain/overlap.ts';
import type { Database } from './database.ts';

export interface ApprovedProjectRow {
  project_id: string;
  code: string;
  item: number;
  /** Committed less 收回 (released) and 追回 (recovered): the support the project still stands for. */
  amount_fen: number;
  keys: OverlapKeys;
}

/**
 * This system's own approved projects that may overlap a proposal (就高不重复): the final APPROVE of
 * each carries the keys its own check used (`overlapKeys`, audited); a project matches by the same
 * beneficiary code, or by any shared contract or invoice number. Projects with nothing left
 * committed (all released or recovered) support nothing and are left out.
 */
export async function findApprovedProjectsPossiblyOverlapping(
  db: Database,
  query: { excludeProjectId: string; beneficiaryCode: string | null; contractNumbers: readonly string[]; invoiceNumbers: readonly string[] },
): Promise<ApprovedProjectRow[]> {
  const rows = await db.query<ApprovedProjectRow>(
    `SELECT p.id AS project_id, p.code, p.item, b.committed_fen - b.released_fen - b.recovered_fen AS amount_fen,
            e.payload->'overlapKeys' AS keys
       FROM project_events e
       JOIN projects p ON p.id = e.project_id
       JOIN project_balances b ON b.project_id = p.id
      WHERE e.event_type = 'APPROVE' AND e.payload ? 'overlapKeys' AND p.id <> $1
        AND b.committed_fen - b.released_fen - b.recovered_fen > 0
        AND ((e.payload->'overlapKeys'->>'beneficiaryCode') = $2
             OR (e.payload->'overlapKeys'->'contractNumbers') ?| $3::text[]
             OR (e.payload->'overlapKeys'->'invoiceNumbers') ?| $4::text[])
      ORDER BY p.code`,
    [query.excludeProjectId, query.beneficiaryCode, query.contractNumbers, query.invoiceNumbers],
  );
  return rows.map((row) => ({ ...row, amount_fen: Number(row.amount_fen) }));
}

/** The payment basis of a project: 批准金额, paid so far (net of 追回), 剩余可拨付额度. Null before the final approval. */
export async function findPaymentBasis(db: Database, projectId: string): Promise<{ approvedFen: number; paidFen: number; leftFen: number } | null> {
  const rows = await db.query<{ committed_fen: number; disbursed_fen: number; released_fen: number }>(
    `SELECT committed_fen, disbursed_fen, released_fen FROM project_balances WHERE project_id = $1`,
    [projectId],
  );
  const row = rows[0];
  if (!row) return null;
  const committed = Number(row.committed_fen);
  const disbursed = Number(row.disbursed_fen);
  return { approvedFen: committed, paidFen: disbursed, leftFen: committed - disbursed - Number(row.released_fen) };
}

import type { LifecycleRules } from '../../config/lifecycle-rules.ts';
import type { OverlapDecision, ProjectContext } from '../../machines/project.types.ts';
import { decideApprovable, findOverlaps, normalizeDocumentNumber, type SupportLevel, type SupportRecord } from '../domain/overlap.ts';
import { findPossiblyOverlappingSupport, type PriorSupportRow } from '../store/beneficiaries.store.ts';
import type { Database } from '../store/database.ts';

export function supportRecordOf(row: PriorSupportRow): SupportRecord {
  return {
    id: row.id,
    policy: row.policy,
    level: row.level as SupportLevel,
    year: row.year,
    amountFen: row.amount_fen,
    contractNumbers: row.contract_numbers,
    invoiceNumbers: row.invoice_numbers,
    beneficiaryCode: row.beneficiary_code,
    ...(row.item !== null ? { item: row.item } : {}),
  };
}

export interface OverlapQuery {
  beneficiaryCode: string | null;
  item: number;
  year: number;
  contractNumbers: string[];
  invoiceNumbers: string[];
  requestedFen: number;
}

/** 就高不重复: loads the support that may overlap, then decides purely (src/domain/overlap.ts). */
export async function checkOverlap(db: Database, query: OverlapQuery, rules: LifecycleRules) {
  const rows = await findPossiblyOverlappingSupport(db, query);
  const overlaps = findOverlaps(
    {
      beneficiaryCode: query.beneficiaryCode ?? '',
      item: query.item,
      year: query.year,
      contractNumbers: query.contractNumbers,
      invoiceNumbers: query.invoiceNumbers,
    },
    rows.map(supportRecordOf),
  );
  return { overlaps, decision: decideApprovable(query.requestedFen, overlaps, rules.overlap) };
}

/** The decision stamped on a final APPROVE and kept in the audit trail. */
export async function decideOverlap(db: Database, context: ProjectContext, rules: LifecycleRules): Promise<OverlapDecision> {
  const { proposal } = context;
  const { decision } = await checkOverlap(
    db,
    {
      beneficiaryCode: proposal.beneficiaryCreditCode ?? null,
      item: proposal.item,
      year: Number(proposal.periodStart.slice(0, 4)),
      contractNumbers: (proposal.contractNumbers ?? []).map(normalizeDocumentNumber),
      invoiceNumbers: (proposal.invoiceNumbers ?? []).map(normalizeDocumentNumber),
      requestedFen: proposal.requestedFen,
    },
    rules,
  );
  return {
    outcome: decision.outcome,
    approvableFen: decision.approvableFen === null ? null : Number(decision.approvableFen),
    reason: decision.reason,
  };
}

import { ENTERPRISE_BENEFIT_ITEMS } from '../../config/beneficiary-rules.ts';
import type { LifecycleRules } from '../../config/lifecycle-rules.ts';
import type { OverlapDecision, ProjectContext } from '../../machines/project.types.ts';
import {
  decideApprovable,
  findOverlaps,
  overlapKeysOf,
  supportRecordOfProject,
  type Overlap,
  type OverlapKeys,
  type SupportLevel,
  type SupportRecord,
} from '../domain/overlap.ts';
import { findApprovedProjectsPossiblyOverlapping } from '../store/overlap.store.ts';
import { decideBeneficiaryCode } from '../domain/beneficiary-code.ts';
import { findConfirmedBeneficiaryCode, findPossiblyOverlappingSupport, type PriorSupportRow } from '../store/beneficiaries.store.ts';
import type { Database } from '../store/database.ts';
import { findOrganisation } from '../store/users.store.ts';
import { AppError } from './app-error.ts';

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
  /** The project being decided: its own approval is never an overlap with itself. */
  projectId?: string;
  beneficiaryCode: string | null;
  item: number;
  year: number;
  contractNumbers: string[];
  invoiceNumbers: string[];
  requestedFen: number;
}

/** 就高不重复: loads the support that may overlap, then decides purely (src/domain/overlap.ts). */
export async function checkOverlap(db: Database, query: OverlapQuery, rules: LifecycleRules) {
  // Support recorded by hand (other policies) and this system's own approvals, compared alike.
  const [rows, ownProjects] = await Promise.all([
    findPossiblyOverlappingSupport(db, query),
    findApprovedProjectsPossiblyOverlapping(db, { excludeProjectId: query.projectId ?? '00000000-0000-0000-0000-000000000000', ...query }),
  ]);
  const records = [
    ...rows.map(supportRecordOf),
    ...ownProjects.map((row) => supportRecordOfProject({ projectId: row.project_id, code: row.code, item: row.item, amountFen: row.amount_fen, keys: row.keys })),
  ];
  const overlaps = findOverlaps(
    {
      beneficiaryCode: query.beneficiaryCode ?? '',
      item: query.item,
      year: query.year,
      contractNumbers: query.contractNumbers,
      invoiceNumbers: query.invoiceNumbers,
    },
    records,
  );
  return { overlaps, decision: decideApprovable(query.requestedFen, overlaps, rules.overlap) };
}

/**
 * The beneficiary code the overlap check uses: the applicant organisation's registered code by
 * default; a differing typed code only as confirmed by center staff (`confirmed`: the confirmation in
 * this APPROVE, else the one in the project's latest center APPROVE). Refuses (guard-refused) a
 * missing code on an item that benefits an enterprise, and an unconfirmed differing code.
 */
export async function resolveBeneficiaryCode(db: Database, context: ProjectContext, confirmedNow?: string): Promise<string | null> {
  const org = await findOrganisation(db, context.orgId);
  const confirmed = confirmedNow ?? (await findConfirmedBeneficiaryCode(db, context.projectId));
  const decision = decideBeneficiaryCode({
    typed: context.proposal.beneficiaryCreditCode,
    registered: org?.credit_code,
    confirmed,
    enterpriseItem: ENTERPRISE_BENEFIT_ITEMS.includes(context.proposal.item),
  });
  if (!decision.ok) throw new AppError('guard-refused', decision.message, { reasons: [decision.reason] });
  return decision.code;
}

/** The decision stamped on a final APPROVE and kept in the audit trail, with the keys it compared (later checks find this approval by them). */
export async function decideOverlap(
  db: Database,
  context: ProjectContext,
  rules: LifecycleRules,
  confirmedNow?: string,
): Promise<{ decision: OverlapDecision; keys: OverlapKeys; overlaps: Overlap[] }> {
  const keys = overlapKeysOf(context.proposal, await resolveBeneficiaryCode(db, context, confirmedNow));
  const { decision, overlaps } = await checkOverlap(
    db,
    { projectId: context.projectId, ...keys, item: context.proposal.item, requestedFen: context.proposal.requestedFen },
    rules,
  );
  return {
    decision: {
      outcome: decision.outcome,
      approvableFen: decision.approvableFen === null ? null : Number(decision.approvableFen),
      reason: decision.reason,
    },
    keys,
    overlaps,
  };
}

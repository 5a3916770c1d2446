import { z } from 'zod';
import type { OverlapRule } from '../../config/ledger-rules.ts';
import { ITEM_IDS, PLAN_DOCUMENT_NUMBER } from '../../config/plan.ts';
import { checkCreditCode } from './credit-code.ts';
import { fenSchema, formatYuan } from './money.ts';

/**
 * 就高不重复 (issue 3, item 5): where this plan and another policy support the same matter, the
 * beneficiary gets the higher of the two, never both. `findOverlaps` says which support records
 * a proposal overlaps and why; `decideApprovable` turns them into the approvable amount under the
 * configured rule, with a reason (Chinese, then English) for the audit trail.
 *
 * Amounts may be bigint or safe-integer numbers; results are bigint.
 */
export type { OverlapRule } from '../../config/ledger-rules.ts';
export { overlapRuleSchema } from '../../config/ledger-rules.ts';

export const SUPPORT_LEVELS = ['national', 'provincial', 'municipal', 'county'] as const;
export type SupportLevel = (typeof SUPPORT_LEVELS)[number];

const LEVEL_ZH: Record<SupportLevel, string> = { national: '国家级', provincial: '省级', municipal: '市级', county: '县级' };

/** Support a beneficiary already had under another policy, for the matter it names. */
export interface SupportRecord {
  /** The registry's id, quoted in decisions so the audit trail can point at the record. */
  id?: string;
  /** The other policy, e.g. its document number or name. */
  policy: string;
  /** The level of government of that policy. */
  level: SupportLevel;
  year: number;
  amountFen: bigint | number;
  contractNumbers: readonly string[];
  invoiceNumbers: readonly string[];
  /** 统一社会信用代码 of the beneficiary. */
  beneficiaryCode: string;
  /** The plan item the support corresponds to, when it maps to one. */
  item?: number;
}

const creditCode = z.string().superRefine((code, ctx) => {
  const check = checkCreditCode(code);
  if (!check.valid) ctx.addIssue({ code: 'custom', message: `统一社会信用代码 ${check.message}` });
});
const documentNumbers = z.array(z.string().trim().min(1).max(100)).max(200).default([]);

/** JSON shape of a support record, for the beneficiary registry's API. */
export const supportRecordSchema = z.object({
  id: z.string().min(1).max(100).optional(),
  policy: z.string().trim().min(1).max(200),
  level: z.enum(SUPPORT_LEVELS),
  year: z.int().min(2000).max(2100),
  amountFen: fenSchema,
  contractNumbers: documentNumbers,
  invoiceNumbers: documentNumbers,
  beneficiaryCode: creditCode,
  item: z.int().min(ITEM_IDS[0]!).max(ITEM_IDS.at(-1)!).optional(),
});

/** What of a proposal is compared with the records. */
export interface OverlapProposal {
  beneficiaryCode: string;
  item: number;
  /** The support year of the proposal (e.g. the business year of its approval or period). */
  year: number;
  contractNumbers: readonly string[];
  invoiceNumbers: readonly string[];
}

export type OverlapReason = 'same-beneficiary-item-year' | 'shared-contract' | 'shared-invoice';

export interface Overlap {
  record: SupportRecord;
  /** Every reason that applies, in this order: same beneficiary+item+year, contract, invoice. */
  reasons: OverlapReason[];
  /** Normalised contract and invoice numbers found in both. */
  sharedContractNumbers: string[];
  sharedInvoiceNumbers: string[];
  /** The reasons in words, Chinese then English. */
  description: string;
}

/**
 * Document numbers compare after NFKC (full-width to half-width), without whitespace, upper case:
 * "ＨＴ-2024 001" and "ht-2024001" are the same contract.
 */
export function normalizeDocumentNumber(value: string): string {
  return value.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

function normalizeCode(value: string): string {
  return value.normalize('NFKC').trim().toUpperCase();
}

function shared(a: readonly string[], b: readonly string[]): string[] {
  const left = new Set(a.map(normalizeDocumentNumber).filter((n) => n !== ''));
  const found = new Set<string>();
  for (const n of b.map(normalizeDocumentNumber)) if (left.has(n)) found.add(n);
  return [...found].sort();
}

/**
 * The records the proposal overlaps, each with its reasons: the same beneficiary, plan item and
 * year; or any shared contract number; or any shared invoice number (whoever the beneficiary of
 * the record: the same invoice claimed twice is an overlap either way). A record without an item
 * overlaps only through its contract and invoice numbers. Records are returned in input order.
 */
export function findOverlaps(proposal: OverlapProposal, records: readonly SupportRecord[]): Overlap[] {
  const beneficiary = normalizeCode(proposal.beneficiaryCode);
  const overlaps: Overlap[] = [];
  for (const record of records) {
    const reasons: OverlapReason[] = [];
    const zh: string[] = [];
    const en: string[] = [];
    // Two proposals without any beneficiary code are not "the same beneficiary".
    if (beneficiary !== '' && normalizeCode(record.beneficiaryCode) === beneficiary && record.item === proposal.item && record.year === proposal.year) {
      reasons.push('same-beneficiary-item-year');
      zh.push(`同一受益单位、同一支持事项（第 ${proposal.item} 项）、同一年度（${proposal.year}）`);
      en.push(`same beneficiary, item ${proposal.item} and year ${proposal.year}`);
    }
    const contracts = shared(proposal.contractNumbers, record.contractNumbers);
    if (contracts.length > 0) {
      reasons.push('shared-contract');
      zh.push(`合同号相同：${contracts.join('、')}`);
      en.push(`shared contract number ${contracts.join(', ')}`);
    }
    const invoices = shared(proposal.invoiceNumbers, record.invoiceNumbers);
    if (invoices.length > 0) {
      reasons.push('shared-invoice');
      zh.push(`发票号相同：${invoices.join('、')}`);
      en.push(`shared invoice number ${invoices.join(', ')}`);
    }
    if (reasons.length > 0) {
      overlaps.push({
        record,
        reasons,
        sharedContractNumbers: contracts,
        sharedInvoiceNumbers: invoices,
        description: `${zh.join('；')} / ${en.join('; ')}`,
      });
    }
  }
  return overlaps;
}

/** The other award: all overlapping records of one policy (same level and policy), summed. */
export interface OtherAward {
  policy: string;
  level: SupportLevel;
  amountFen: bigint;
  recordIds: string[];
  reasons: OverlapReason[];
}

export const OVERLAP_OUTCOMES = ['no-overlap', 'refuse', 'top-up', 'approver-chooses'] as const;
export type OverlapOutcome = (typeof OVERLAP_OUTCOMES)[number];

export interface ApproverOption {
  choice: 'pay-in-full' | 'pay-nothing';
  approvableFen: bigint;
  /** What the choice means, Chinese then English. */
  reason: string;
}

export interface ApprovableDecision {
  /**
   * no-overlap: pay what was requested; refuse: the other award is higher or equal, pay nothing;
   * top-up: pay only the difference; approver-chooses: see `options`.
   */
  outcome: OverlapOutcome;
  requestedFen: bigint;
  /** What may be approved; null while the approver has to choose between `options`. */
  approvableFen: bigint | null;
  /** The highest other award the overlaps add up to, or null without overlaps. */
  highestOther: OtherAward | null;
  /** Every other award found, highest first. */
  otherAwards: OtherAward[];
  /** Only for approver-chooses. */
  options?: ApproverOption[];
  /** The rule the decision applied, for the audit trail. */
  rule: OverlapRule;
  /** Why, Chinese then English, for the audit trail and the reviewer. */
  reason: string;
}

function otherAwardsOf(overlaps: readonly Overlap[]): OtherAward[] {
  const byPolicy = new Map<string, OtherAward>();
  for (const { record, reasons } of overlaps) {
    const key = `${record.level}\u0000${record.policy.trim()}`;
    const award = byPolicy.get(key) ?? { policy: record.policy.trim(), level: record.level, amountFen: 0n, recordIds: [], reasons: [] };
    award.amountFen += BigInt(record.amountFen);
    if (record.id !== undefined) award.recordIds.push(record.id);
    for (const reason of reasons) if (!award.reasons.includes(reason)) award.reasons.push(reason);
    byPolicy.set(key, award);
  }
  return [...byPolicy.values()].sort((a, b) => (a.amountFen > b.amountFen ? -1 : a.amountFen < b.amountFen ? 1 : 0));
}

const yuan = (fen: bigint) => `${formatYuan(fen)} 元`;

/**
 * The approvable amount under 就高不重复 ('highest-only': the beneficiary keeps only the single
 * highest award). Overlapping records of one policy add up to one award. Against the highest
 * other award H and the requested R:
 *   H >= R: refuse (approvable 0);
 *   H <  R, allowTopUp: top-up, approvable R - H (so the beneficiary ends with exactly R);
 *   H <  R, no top-up: approver-chooses between paying R in full (the other award is given up
 *                      or returned) and paying nothing (the beneficiary keeps the other award).
 */
export function decideApprovable(requestedFen: bigint | number, overlaps: readonly Overlap[], rule: OverlapRule): ApprovableDecision {
  const requested = BigInt(requestedFen);
  if (requested <= 0n) throw new RangeError('decideApprovable: requestedFen must be more than 0');
  const otherAwards = otherAwardsOf(overlaps);
  const highest = otherAwards[0];
  if (!highest) {
    return {
      outcome: 'no-overlap',
      requestedFen: requested,
      approvableFen: requested,
      highestOther: null,
      otherAwards,
      rule,
      reason: `未发现其他政策对同一事项的支持，可按申请额 ${yuan(requested)} 审批 / no other support for the same matter found; ${yuan(requested)} may be approved as requested`,
    };
  }
  const other = `${LEVEL_ZH[highest.level]}政策“${highest.policy}”已支持 ${yuan(highest.amountFen)}`;
  const otherEn = `the ${highest.level} policy "${highest.policy}" already awarded ${yuan(highest.amountFen)}`;
  const base = { requestedFen: requested, highestOther: highest, otherAwards, rule };

  if (highest.amountFen >= requested) {
    return {
      ...base,
      outcome: 'refuse',
      approvableFen: 0n,
      reason: `就高不重复：${other}，不低于本次申请 ${yuan(requested)}，本项不予支持 / highest award only: ${otherEn}, not less than the ${yuan(requested)} requested, so this award is refused`,
    };
  }
  const difference = requested - highest.amountFen;
  if (rule.allowTopUp) {
    return {
      ...base,
      outcome: 'top-up',
      approvableFen: difference,
      reason: `就高不重复：${other}，低于本次申请 ${yuan(requested)}，只补足差额 ${yuan(difference)} / highest award only: ${otherEn}, less than the ${yuan(requested)} requested, so only the difference of ${yuan(difference)} may be paid`,
    };
  }
  return {
    ...base,
    outcome: 'approver-chooses',
    approvableFen: null,
    options: [
      {
        choice: 'pay-in-full',
        approvableFen: requested,
        reason: `按本次 ${yuan(requested)} 支持，受益单位须放弃或退回“${highest.policy}”的 ${yuan(highest.amountFen)} / pay ${yuan(requested)} in full; the beneficiary gives up or returns the ${yuan(highest.amountFen)} of "${highest.policy}"`,
      },
      {
        choice: 'pay-nothing',
        approvableFen: 0n,
        reason: `本项不予支持，受益单位保留“${highest.policy}”的 ${yuan(highest.amountFen)} / pay nothing; the beneficiary keeps the ${yuan(highest.amountFen)} of "${highest.policy}"`,
      },
    ],
    reason: `就高不重复：${other}，低于本次申请 ${yuan(requested)}；规则不允许补差，由审批人选择 / highest award only: ${otherEn}, less than the ${yuan(requested)} requested; top-up is not allowed, so the approver chooses`,
  };
}

/**
 * What a final approval of this system records for later 就高不重复 checks (stamped on the APPROVE
 * event, so the audit trail keeps exactly what was compared): the beneficiary code the check used,
 * the support year, and every contract and invoice number of the proposal and its budget lines,
 * normalised.
 */
export interface OverlapKeys {
  beneficiaryCode: string | null;
  year: number;
  contractNumbers: string[];
  invoiceNumbers: string[];
}

interface KeyedProposal {
  periodStart: string;
  contractNumbers?: readonly string[];
  invoiceNumbers?: readonly string[];
  budgetLines?: readonly { contractNumber?: string | undefined; invoiceNumber?: string | undefined }[];
}

const uniqueNormalised = (values: readonly (string | undefined)[]) =>
  [...new Set(values.filter((v): v is string => typeof v === 'string').map(normalizeDocumentNumber).filter((v) => v !== ''))].sort();

export function overlapKeysOf(proposal: KeyedProposal, beneficiaryCode: string | null): OverlapKeys {
  const lines = proposal.budgetLines ?? [];
  return {
    beneficiaryCode: beneficiaryCode ? normalizeCode(beneficiaryCode) : null,
    year: Number(proposal.periodStart.slice(0, 4)),
    contractNumbers: uniqueNormalised([...(proposal.contractNumbers ?? []), ...lines.map((line) => line.contractNumber)]),
    invoiceNumbers: uniqueNormalised([...(proposal.invoiceNumbers ?? []), ...lines.map((line) => line.invoiceNumber)]),
  };
}

/** A project this system already approved, with the support it still stands for (committed less 收回 and 追回). */
export interface ApprovedProject {
  projectId: string;
  code: string;
  item: number;
  amountFen: number | bigint;
  keys: OverlapKeys;
}

/** All of this plan's own approvals count as one policy: the beneficiary keeps the higher of this plan and another, never this plan twice. */
export const OWN_PLAN_POLICY = `${PLAN_DOCUMENT_NUMBER}（本系统已批准项目）`;

export function supportRecordOfProject(project: ApprovedProject): SupportRecord {
  return {
    id: project.code,
    policy: OWN_PLAN_POLICY,
    level: 'county',
    year: project.keys.year,
    amountFen: project.amountFen,
    contractNumbers: project.keys.contractNumbers,
    invoiceNumbers: project.keys.invoiceNumbers,
    beneficiaryCode: project.keys.beneficiaryCode ?? '',
    item: project.item,
  };
}

import { z } from 'zod';
import { BUDGET_CATEGORIES, DECISION_BODIES, LISTING_BOARDS } from '../../config/item-rules.ts';
import { ITEM_IDS } from '../../config/plan.ts';
import { businessDateSchema } from './business-date.ts';
import { checkCreditCode } from './credit-code.ts';
import { evaluationInputSchema } from './evaluation-scoring.ts';
import { indicatorSchema, type Indicator } from './indicator.schema.ts';
import { fenSchema, positiveFenSchema } from './money.ts';

/**
 * One zod schema per event payload, shared by the HTTP layer (validation, OpenAPI) and the
 * machine (types). The engine adds `at` (the command time) and `actor` before transition().
 */

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

export { INDICATOR_LEVELS, indicatorSchema, type Indicator } from './indicator.schema.ts';

const targetsSchema = z
  .array(indicatorSchema)
  .max(50)
  .superRefine((targets, ctx) => {
    const seen = new Set<string>();
    targets.forEach((indicator, index) => {
      if (seen.has(indicator.id)) {
        ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `duplicate indicator id ${indicator.id}` });
      }
      seen.add(indicator.id);
    });
  });

export const creditCodeSchema = z.string().superRefine((code, ctx) => {
  const check = checkCreditCode(code);
  if (!check.valid) ctx.addIssue({ code: 'custom', message: `统一社会信用代码 ${check.message}` });
});

const UNKNOWN_ITEM = `unknown item: the plan has items ${ITEM_IDS[0]} to ${ITEM_IDS.at(-1)}`;
const itemSchema = z
  .int('must be an integer item number 1-13')
  .min(ITEM_IDS[0]!, UNKNOWN_ITEM)
  .max(ITEM_IDS.at(-1)!, UNKNOWN_ITEM);

const documentNumber = z.string().trim().min(1).max(100);

/**
 * One row of 预算明细. The rows of a proposal add up to its requested amount (checked at SUBMIT);
 * each row's category must be within the item's 开支范围 (config/item-rules.ts). Training rows
 * name persons, days and sessions, so the county's training-fee caps can be applied.
 */
export const budgetLineSchema = z.object({
  category: z.enum(BUDGET_CATEGORIES),
  description: text(200),
  amountFen: positiveFenSchema,
  persons: z.int().positive().max(100_000).optional(),
  days: z.number().positive().max(366).multipleOf(0.5).optional(),
  sessions: z.int().positive().max(1_000).optional(),
  /** The contract or invoice the line rests on, compared for 就高不重复 like the proposal's numbers. */
  contractNumber: documentNumber.optional(),
  invoiceNumber: documentNumber.optional(),
});
export type BudgetLine = z.infer<typeof budgetLineSchema>;

/** Item 11: the board and the announcement of the successful listing (the reward is for a listing that happened). */
export const listingSchema = z.object({
  board: z.enum(LISTING_BOARDS),
  announcementRef: z.string().trim().min(1).max(200).optional(),
  announcementDate: businessDateSchema.optional(),
});
export type Listing = z.infer<typeof listingSchema>;

/** Item 13: the 会议纪要 of the county government or the leadership group that decided the matter. */
export const decisionReferenceSchema = z.object({
  body: z.enum(DECISION_BODIES),
  number: text(100),
  date: businessDateSchema,
});
export type DecisionReference = z.infer<typeof decisionReferenceSchema>;

const documentNumbers = z.array(documentNumber).max(100);
const budgetLinesSchema = z.array(budgetLineSchema).max(200);

const proposalFields = {
  title: text(200),
  description: z.string().max(10_000).optional(),
  item: itemSchema,
  beneficiaryCreditCode: creditCodeSchema.optional(),
  requestedFen: positiveFenSchema,
  periodStart: businessDateSchema,
  periodEnd: businessDateSchema,
  targets: targetsSchema.default([]),
  /** Contract and invoice numbers the request rests on, for the 就高不重复 overlap check. */
  contractNumbers: documentNumbers.default([]),
  invoiceNumbers: documentNumbers.default([]),
  /** 预算明细 as rows. */
  budgetLines: budgetLinesSchema.default([]),
  /** Item 11 only. */
  listing: listingSchema.optional(),
};

function periodInOrder(value: { periodStart?: string; periodEnd?: string }, ctx: z.RefinementCtx) {
  if (value.periodStart && value.periodEnd && value.periodStart >= value.periodEnd) {
    ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'must be after periodStart' });
  }
}

export const proposalSchema = z.object(proposalFields).superRefine(periodInOrder);
export type Proposal = z.infer<typeof proposalSchema>;

/** The body of POST /api/v1/projects. Admin and center staff name the applicant organisation. */
export const createProjectSchema = z
  .object({ ...proposalFields, applicantOrgId: z.uuid().optional() })
  .superRefine(periodInOrder);
export type CreateProjectInput = z.infer<typeof createProjectSchema>;

const comment = z.string().trim().max(4000).optional();
const requiredComment = text(4000);
const reason = text(4000);

export const eventPayloadSchemas = {
  UPDATE_PROPOSAL: z
    .object({
      title: proposalFields.title.optional(),
      description: proposalFields.description,
      item: itemSchema.optional(),
      beneficiaryCreditCode: creditCodeSchema.nullable().optional(),
      requestedFen: positiveFenSchema.optional(),
      periodStart: businessDateSchema.optional(),
      periodEnd: businessDateSchema.optional(),
      targets: targetsSchema.optional(),
      // Without defaults: a field left out of an update keeps its value (a default would reset it to []).
      contractNumbers: documentNumbers.optional(),
      invoiceNumbers: documentNumbers.optional(),
      budgetLines: budgetLinesSchema.optional(),
      listing: listingSchema.nullable().optional(),
    })
    .superRefine(periodInOrder),
  SUBMIT: z.object({ comment }),
  WITHDRAW: z.object({ reason: comment }),
  UPDATE_TARGETS: z.object({ targets: targetsSchema.min(1), comment }),
  /** After approval the targets are locked: a change is an amendment with a reason, approved by finance. */
  AMEND_TARGETS: z.object({ targets: targetsSchema.min(1), reason }),
  APPROVE_AMENDMENT: z.object({ comment }),
  REJECT_AMENDMENT: z.object({ reason }),
  APPROVE: z.object({
    comment,
    /** At the last step: the fund to commit from (default: the oldest fund with enough money left). */
    fundId: z.uuid().optional(),
    /** At the last step: the amount approved, when it is less than requested (就高不重复 top-up or the approver's choice). */
    approvedFen: positiveFenSchema.optional(),
    /** Center review: confirms a typed beneficiary code that differs from the applicant's registered one (audited). */
    confirmBeneficiaryCreditCode: creditCodeSchema.optional(),
    /** At the last step of an item 13 project: the decision of the county government or the leadership group. */
    decisionReference: decisionReferenceSchema.optional(),
  }),
  REJECT: z.object({ comment: requiredComment }),
  RETURN: z.object({ comment: requiredComment }),
  DISBURSE: z.object({ amountFen: positiveFenSchema, voucher: z.string().trim().max(100).optional(), comment }),
  REPORT_PROGRESS: z
    .object({
      periodStart: businessDateSchema,
      periodEnd: businessDateSchema,
      indicators: z
        .array(z.object({ indicatorId: z.string().min(1), value: z.number().finite() }))
        .max(50)
        .default([]),
      spentFen: fenSchema.optional(),
      narrative: z.string().max(10_000).optional(),
    })
    .superRefine(periodInOrder),
  RECORD_INSPECTION: z.object({
    kind: z.enum(['regular', 'unannounced']),
    date: businessDateSchema,
    inspectors: z.array(text(100)).min(1).max(20),
    findings: z
      .array(z.object({ indicatorId: z.string().optional(), note: text(4000) }))
      .max(100)
      .default([]),
    evidence: z.array(z.string().max(500)).max(50).default([]),
  }),
  CONCLUDE_INSPECTION: z.discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('on-track'), comment }),
    z.object({ outcome: z.literal('deviation'), correction: text(4000), dueDate: businessDateSchema }),
    z.object({ outcome: z.literal('serious'), reason }),
  ]),
  SUBMIT_CORRECTION: z
    .object({ text: z.string().trim().max(10_000).optional(), evidence: z.array(z.string().max(500)).max(50).default([]) })
    .refine((value) => (value.text ?? '').length > 0 || value.evidence.length > 0, {
      path: ['text'],
      message: 'a correction needs a text or at least one piece of evidence',
    }),
  ACCEPT_CORRECTION: z.object({ comment }),
  REJECT_CORRECTION: z.object({ reason, dueDate: businessDateSchema }),
  EXTEND_DEADLINE: z.object({
    deadline: z.enum(['correction', 'evaluation']),
    newDate: businessDateSchema,
    reason,
  }),
  SUSPEND: z.object({ reason }),
  RESUME: z.object({ reason }),
  STOP: z.object({ reason }),
  CONFIRM_STOP: z.object({ comment }),
  COMPLETE: z.object({ summary: z.string().max(10_000).optional() }),
  /** The evaluator's measurements per indicator (scored by src/domain/evaluation-scoring.ts) and the report sections. */
  SUBMIT_EVALUATION: evaluationInputSchema.extend({
    report: z.object({
      基本情况: text(20_000),
      评价工作开展情况: text(20_000),
      综合评价结论: text(20_000),
      绩效分析: text(20_000),
      存在问题: text(20_000),
      建议: text(20_000),
    }),
  }),
  ACCEPT_EVALUATION: z.object({ comment }),
  REQUEST_REEVALUATION: z.object({ reason }),
  CLOSE: z.object({ comment }),
} as const;

export type ProjectEventType = keyof typeof eventPayloadSchemas;
export const PROJECT_EVENT_TYPES = Object.keys(eventPayloadSchemas) as ProjectEventType[];

export type EventPayload<T extends ProjectEventType> = z.infer<(typeof eventPayloadSchemas)[T]>;

/** The envelope of POST /api/v1/projects/:id/events: `{ "type": "APPROVE", ...payload }`. */
export const eventTypeSchema = z.object({ type: z.enum(PROJECT_EVENT_TYPES) });

import { z } from 'zod';
import { ATTACHMENT_KINDS, type AttachmentKind } from '../src/domain/vocabulary.ts';
import type { Role } from './roles.ts';

/**
 * Required materials (issue 14, item 2), as data: which attached files an event needs before the
 * engine lets it through, per event and, where an item differs, per item. The pure check is
 * src/domain/required-materials.ts; the engine loads the project's attachments and hands them in.
 *
 * A requirement is a list of groups; each group needs at least one file of one of its kinds
 * ("合同 or 发票 or 验收材料" is one group of three kinds, "申报书 and 预算明细" two groups).
 * `fresh`: only files uploaded since the previous event of the same type count, so every tranche
 * and every round of correction brings its own basis rather than reusing the last one's.
 */

const kindSchema = z.enum(ATTACHMENT_KINDS);

export const materialGroupSchema = z.object({
  anyOf: z.array(kindSchema).min(1),
  fresh: z.boolean().default(false),
});
export type MaterialGroup = z.infer<typeof materialGroupSchema>;

export const eventRequirementSchema = z.object({
  groups: z.array(materialGroupSchema).default([]),
  /** DISBURSE: the 国库支付凭证 number (the event's `voucher`) must match `voucherPattern`. */
  voucherNumber: z.boolean().default(false),
  /** CONCLUDE_INSPECTION: the requirement applies only to these outcomes; absent, always. */
  outcomes: z.array(z.enum(['on-track', 'deviation', 'serious'])).optional(),
});
export type EventRequirement = z.infer<typeof eventRequirementSchema>;

export const MATERIAL_EVENTS = ['SUBMIT', 'DISBURSE', 'CONCLUDE_INSPECTION', 'SUBMIT_CORRECTION'] as const;
export type MaterialEvent = (typeof MATERIAL_EVENTS)[number];

const eventTableSchema = z.partialRecord(z.enum(MATERIAL_EVENTS), eventRequirementSchema);

export const requiredMaterialsSchema = z.object({
  /**
   * A 国库支付凭证 number: letters, digits and hyphens, 6 to 40 characters, starting with a letter
   * or digit (the bureaus' numbering differs by county and year; set the county's own format here).
   */
  voucherPattern: z
    .string()
    .default('^[0-9A-Za-z][0-9A-Za-z-]{5,39}$')
    .refine((pattern) => {
      try {
        new RegExp(pattern, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'must be a valid regular expression'),
  events: eventTableSchema,
  /** Per item (plan item number): an event listed here replaces the event's default requirement. */
  items: z.record(z.string().regex(/^\d+$/), eventTableSchema).default({}),
});
export type RequiredMaterials = z.infer<typeof requiredMaterialsSchema>;

export const DEFAULT_REQUIRED_MATERIALS: RequiredMaterials = requiredMaterialsSchema.parse({
  events: {
    // A proposal is submitted with its 申报书 and 预算明细 (resubmitting after a return reuses them).
    SUBMIT: { groups: [{ anyOf: ['proposal'] }, { anyOf: ['budget'] }] },
    // Each tranche is paid against its own basis (合同, 发票 or 验收材料) and a 国库支付凭证 number.
    DISBURSE: { groups: [{ anyOf: ['contract', 'invoice', 'acceptance'], fresh: true }], voucherNumber: true },
    // A deviation or a serious finding stands on the inspection's evidence.
    CONCLUDE_INSPECTION: { groups: [{ anyOf: ['inspection-evidence'], fresh: true }], outcomes: ['deviation', 'serious'] },
    // Each round of correction brings its 整改材料.
    SUBMIT_CORRECTION: { groups: [{ anyOf: ['correction-material'], fresh: true }] },
  },
  items: {
    // Item 1 is procurement (the county enterprise service platform): a contract, then each
    // tranche against an invoice or an acceptance record.
    '1': {
      DISBURSE: {
        groups: [{ anyOf: ['contract'] }, { anyOf: ['invoice', 'acceptance'], fresh: true }],
        voucherNumber: true,
      },
    },
  },
});

/** The requirement that applies to one event of one item, or none. */
export function requirementFor(rules: RequiredMaterials, item: number, event: string): EventRequirement | undefined {
  if (!(MATERIAL_EVENTS as readonly string[]).includes(event)) return undefined;
  const type = event as MaterialEvent;
  return rules.items[String(item)]?.[type] ?? rules.events[type];
}

/**
 * Who may attach which kind of file. Reading follows the project (staff, and the applicant on its
 * own projects; never the public). The applicant brings its proposal, budget, contracts,
 * invoices, acceptance records and correction material; inspectors and the supervisor their
 * evidence; the Finance Bureau the 国库支付凭证 and what it receives for a payment.
 */
export const ATTACHMENT_UPLOADERS: Record<AttachmentKind, readonly Role[]> = {
  proposal: ['applicant', 'center', 'admin'],
  budget: ['applicant', 'center', 'admin'],
  contract: ['applicant', 'center', 'finance', 'admin'],
  invoice: ['applicant', 'center', 'finance', 'admin'],
  acceptance: ['applicant', 'center', 'finance', 'admin'],
  'inspection-evidence': ['inspector', 'supervisor', 'admin'],
  'correction-material': ['applicant', 'center', 'admin'],
  'treasury-voucher': ['finance', 'admin'],
  other: ['applicant', 'center', 'finance', 'leadership', 'inspector', 'supervisor', 'evaluator', 'admin'],
};

import { z } from 'zod';

/**
 * Ledger rules handed to the engine, as data (issue 3, items 3 and 5). Parsed once in the
 * composition root like the lifecycle rules; the pure guards in src/domain/tranche-rules.ts and
 * src/domain/overlap.ts take the parsed values and never read config themselves.
 */

/** Percent with at most two decimals, so that it is exact in basis points (1% = 100 bp). */
const percentSchema = z
  .number()
  .gt(0, 'must be more than 0')
  .max(100, 'must be at most 100')
  .refine((percent) => Math.abs(percent * 100 - Math.round(percent * 100)) < 1e-9, 'at most two decimals');

export const LATER_TRANCHE_REQUIREMENTS = ['inspection-on-track', 'progress-report', 'either', 'none'] as const;
export type LaterTrancheRequirement = (typeof LATER_TRANCHE_REQUIREMENTS)[number];

export const trancheRulesSchema = z.object({
  /** The first tranche may be at most this percent of the commitment; absent: no limit. */
  firstTrancheMaxPercent: percentSchema.optional(),
  /**
   * What must have happened since the previous tranche before a later one is paid:
   * an inspection concluded on-track, a progress report, either of them, or nothing.
   */
  laterTrancheRequires: z.enum(LATER_TRANCHE_REQUIREMENTS).default('either'),
  /** Every tranche is held while the project is suspended. Not switchable: DESIGN.md promises it. */
  holdWhileSuspended: z.literal(true).default(true),
});
export type TrancheRules = z.infer<typeof trancheRulesSchema>;

export const overlapRuleSchema = z.object({
  /** 就高不重复: the beneficiary keeps only the single highest award for the same matter. */
  mode: z.literal('highest-only').default('highest-only'),
  /**
   * When the other award is lower: true pays only the difference (the beneficiary ends with
   * exactly the higher amount, which is what 就高 means); false leaves the choice to the approver.
   */
  allowTopUp: z.boolean().default(true),
});
export type OverlapRule = z.infer<typeof overlapRuleSchema>;

export const ledgerRulesSchema = z.object({
  tranche: trancheRulesSchema.prefault({}),
  overlap: overlapRuleSchema.prefault({}),
});
export type LedgerRules = z.infer<typeof ledgerRulesSchema>;

export const DEFAULT_LEDGER_RULES: LedgerRules = ledgerRulesSchema.parse({});

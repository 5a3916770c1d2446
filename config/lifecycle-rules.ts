import { z } from 'zod';
import { evaluationRulesSchema } from './evaluation-rules.ts';
import { itemRulesSchema } from './item-rules.ts';
import { overlapRuleSchema, trancheRulesSchema } from './ledger-rules.ts';

/**
 * Business rules the lifecycle machine is handed at construction. They live in config so that
 * the county can change a threshold without a code change; a project keeps the approval chain it
 * was routed with at SUBMIT, so a later change never reroutes a project in flight.
 */
export const lifecycleRulesSchema = z.object({
  /** Proposals at or above this amount (fen) also need the leadership group. 500,000 元 by default. */
  leadershipThresholdFen: z.int().min(0).default(50_000_000),
  /** Items that always need the leadership group (item 13: 县政府、领导组支持事项). */
  leadershipItems: z.array(z.int().min(1).max(13)).default([13]),
  /** Optional ceiling per item, in fen; an item without one is limited only by the fund. */
  itemCeilingsFen: z.record(z.string(), z.int().positive()).default({}),
  /** Days an applicant has, by default, to deliver the evaluation material after COMPLETE. */
  evaluationDueDays: z.int().positive().default(30),
  /** Regular inspections fall due this many days after the first disbursement, then again. */
  inspectionCadenceDays: z.int().positive().default(90),
  /** Progress reports fall due this many days after the first disbursement, then again. */
  progressReportCadenceDays: z.int().positive().default(30),
  /** Days the Finance Bureau has to review a submitted evaluation. */
  financeReviewDueDays: z.int().positive().default(15),
  /** Which tranches may be paid when (src/domain/tranche-rules.ts). */
  tranche: trancheRulesSchema.prefault({}),
  /** 就高不重复: how support the beneficiary already had limits this award (src/domain/overlap.ts). */
  overlap: overlapRuleSchema.prefault({}),
  /** Level weights and scoring choices of the performance evaluation (src/domain/evaluation-scoring.ts). */
  evaluation: evaluationRulesSchema.prefault({}),
  /** Per-item conditions: 开支范围, training-fee caps, listing, enterprise type, item 13's decision (src/domain/item-rules.ts). */
  items: itemRulesSchema.prefault({}),
});

export type LifecycleRules = z.infer<typeof lifecycleRulesSchema>;

export const DEFAULT_LIFECYCLE_RULES: LifecycleRules = lifecycleRulesSchema.parse({});

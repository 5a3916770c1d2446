import { z } from 'zod';

/**
 * Rules of the performance evaluation (绩效评价), after 财预〔2020〕10号. The scoring itself is in
 * src/domain/evaluation-scoring.ts; this file holds the numbers a county may change.
 *
 * Level weights (一级指标权重), in points out of 100; they must add up to 100. The default is the
 * self-evaluation split of the issue: budget execution 10, output 50, effect 30, satisfaction 10.
 * An indicator's own weight from the declaration form only sets its share WITHIN its level: every
 * level's indicators are scaled so that they add up to the level weight (see evaluation-scoring.ts).
 */

/** The first-level rows of the score table: budget execution plus the three indicator levels of the form. */
export const EVALUATION_LEVELS = ['预算执行', '产出', '效益', '满意度'] as const;
export type EvaluationLevel = (typeof EVALUATION_LEVELS)[number];
export type IndicatorLevel = Exclude<EvaluationLevel, '预算执行'>;
export const INDICATOR_LEVEL_NAMES: readonly IndicatorLevel[] = ['产出', '效益', '满意度'];

/** Points with at most two decimals (scores are kept exact in hundredths). */
const pointsSchema = z
  .number()
  .min(0, 'must not be negative')
  .max(100, 'must not exceed 100')
  .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-9, 'at most two decimals');

const levelWeightsSchema = z
  .object({
    预算执行: pointsSchema.default(10),
    产出: pointsSchema.default(50),
    效益: pointsSchema.default(30),
    满意度: pointsSchema.default(10),
  })
  .refine(
    (weights) => EVALUATION_LEVELS.reduce((sum, level) => sum + Math.round(weights[level] * 100), 0) === 10_000,
    'the level weights must add up to 100',
  );

export const evaluationRulesSchema = z.object({
  levelWeights: levelWeightsSchema.default({ 预算执行: 10, 产出: 50, 效益: 30, 满意度: 10 }),
  /**
   * What happens to the weight of an indicator level for which the project declared no indicator
   * (say, no 满意度 indicator): `redistribute` (default) shares it among the levels that do have
   * indicators, in proportion to their level weights, so the total is still out of 100;
   * `zero` keeps the level in the table with its weight and a score of 0.
   */
  emptyLevel: z.enum(['redistribute', 'zero']).default('redistribute'),
  /**
   * An '=' indicator scores its full weight when the actual value equals the target and falls
   * linearly with the relative error |actual − target| / target, reaching 0 at this relative error
   * (1 = ±100%).
   */
  equalZeroAtRelativeError: z.number().positive().max(10).default(1),
});

export type EvaluationRules = z.infer<typeof evaluationRulesSchema>;

export const DEFAULT_EVALUATION_RULES: EvaluationRules = evaluationRulesSchema.parse({});

import { z } from 'zod';
import {
  EVALUATION_LEVELS,
  INDICATOR_LEVEL_NAMES,
  type EvaluationLevel,
  type EvaluationRules,
  type IndicatorLevel,
} from '../../config/evaluation-rules.ts';
import type { Indicator } from './indicator.schema.ts';
import { gradeOf, type Grade } from './evaluation-grade.ts';
import { fenSchema, positiveFenSchema } from './money.ts';

/**
 * Performance-evaluation scoring after 财预〔2020〕10号 (pure: no I/O, no clock).
 *
 * All points are kept as integer HUNDREDTHS, so the total is an exact sum with two decimals.
 *
 * 1. Level weights come from config/evaluation-rules.ts (default 预算执行 10, 产出 50, 效益 30, 满意度 10).
 *    A level without any indicator gets its weight redistributed (rules.emptyLevel, see there).
 * 2. Within a level, each indicator's weight (the points it can earn) is its share of the level
 *    weight by its declared weight: levelWeight × w_i / Σw. The shares are split in hundredths
 *    by the largest-remainder method, so a level's indicator weights add up to the level weight
 *    exactly (5000 hundredths over 40:20 → 3333 + 1667).
 * 3. Each indicator earns a share of its weight (rounded half up to a hundredth, clamped to [0, weight]):
 *    - '>=': full when actual ≥ target, else actual / target × weight (0 for actual ≤ 0);
 *      a target of 0 is met by any actual ≥ 0.
 *    - '<=': full when actual ≤ target, else (2·target − actual) / target × weight: linear to 0 at
 *      twice the target; a target of 0 is met only by actual ≤ 0, anything above scores 0.
 *    - '=': full when actual = target, else linear in the relative error |actual − target| / target,
 *      0 at rules.equalZeroAtRelativeError (default ±100%); a target of 0 is met only by 0.
 *    - 'qualitative': the evaluator's band and percent: 达成 (achieved) 80–100%, 部分达成 (partly)
 *      60–<80%, 未达成 (not achieved) 0–<60% of the weight; the percent must lie in its band.
 * 4. Budget execution (预算执行率) = executed / budget, capped at 100%, × the budget-execution
 *    weight. By default budget = the committed (approved) amount and executed = the disbursed
 *    amount from the ledger facts; the evaluator may give both figures instead (for example the
 *    unit's audited spending), which then prevail. A budget of 0 scores 0.
 * 5. Total = budget execution + Σ indicator scores (two decimals, exact); grade by gradeOf.
 */

export const QUALITATIVE_BANDS = {
  achieved: { zh: '达成', min: 80, max: 100, maxInclusive: true },
  'partly-achieved': { zh: '部分达成', min: 60, max: 80, maxInclusive: false },
  'not-achieved': { zh: '未达成', min: 0, max: 60, maxInclusive: false },
} as const;
export type QualitativeBand = keyof typeof QUALITATIVE_BANDS;
const BAND_KEYS = Object.keys(QUALITATIVE_BANDS) as [QualitativeBand, ...QualitativeBand[]];

export function percentInBand(band: QualitativeBand, percent: number): boolean {
  const { min, max, maxInclusive } = QUALITATIVE_BANDS[band];
  return percent >= min && (maxInclusive ? percent <= max : percent < max);
}

function bandRangeText(band: QualitativeBand): string {
  const { zh, min, max, maxInclusive } = QUALITATIVE_BANDS[band];
  return `${min} to ${maxInclusive ? '' : 'below '}${max} for ${band} (${zh})`;
}

const indicatorInputSchema = z
  .object({
    indicatorId: z.string().min(1).max(32),
    /** The measured value of a quantitative indicator ('>=', '<=', '='), in the indicator's unit. */
    actual: z.number().finite().optional(),
    /** The evaluator's judgement of a qualitative indicator... */
    band: z.enum(BAND_KEYS).optional(),
    /** ...and the percentage of the weight within that band. */
    percent: z.number().finite().min(0, 'must be 0-100').max(100, 'must be 0-100').optional(),
    note: z.string().trim().max(4000).optional(),
  })
  .superRefine((value, ctx) => {
    const qualitative = value.band !== undefined || value.percent !== undefined;
    if (value.actual !== undefined && qualitative) {
      ctx.addIssue({ code: 'custom', path: ['actual'], message: 'give either actual (quantitative) or band and percent (qualitative), not both' });
      return;
    }
    if (value.actual === undefined && !qualitative) {
      ctx.addIssue({ code: 'custom', path: ['actual'], message: 'give actual for a quantitative indicator, or band and percent for a qualitative one' });
      return;
    }
    if (value.band !== undefined && value.percent === undefined) {
      ctx.addIssue({ code: 'custom', path: ['percent'], message: 'is required with band' });
    }
    if (value.percent !== undefined && value.band === undefined) {
      ctx.addIssue({ code: 'custom', path: ['band'], message: 'is required with percent' });
    }
    if (value.band !== undefined && value.percent !== undefined && !percentInBand(value.band, value.percent)) {
      ctx.addIssue({ code: 'custom', path: ['percent'], message: `must be ${bandRangeText(value.band)}` });
    }
  });

/** The evaluator's input: one entry per indicator, and optionally the budget-execution figures. */
export const evaluationInputSchema = z.object({
  indicators: z
    .array(indicatorInputSchema)
    .min(1, 'score at least one indicator')
    .max(50)
    .superRefine((entries, ctx) => {
      const seen = new Set<string>();
      entries.forEach((entry, index) => {
        if (seen.has(entry.indicatorId)) {
          ctx.addIssue({ code: 'custom', path: [index, 'indicatorId'], message: `indicator ${entry.indicatorId} is scored twice` });
        }
        seen.add(entry.indicatorId);
      });
    }),
  budgetExecution: z
    .object({
      /** The budget the rate is measured against (default: the committed amount). */
      budgetFen: positiveFenSchema,
      /** The money actually executed (default: the disbursed amount). */
      executedFen: fenSchema,
      note: z.string().trim().max(4000).optional(),
    })
    .optional(),
});

export type EvaluationInput = z.infer<typeof evaluationInputSchema>;
export type IndicatorInput = EvaluationInput['indicators'][number];

/** What the ledger knows about the project when it is evaluated. */
export interface EvaluationFacts {
  committedFen: number;
  disbursedFen: number;
}

export interface ScoredIndicator {
  indicatorId: string;
  level: IndicatorLevel;
  subLevel: string;
  name: string;
  unit: string;
  comparator: Indicator['comparator'];
  targetValue: number | null;
  actual: number | null;
  band: QualitativeBand | null;
  percent: number | null;
  /** The weight on the declaration form. */
  declaredWeight: number;
  /** Points this indicator can earn out of 100: its share of the level weight (two decimals). */
  weight: number;
  /** Points earned, 0 ≤ score ≤ weight (two decimals). */
  score: number;
  note?: string;
}

export interface LevelScore {
  weight: number;
  score: number;
  indicatorCount: number;
}

export interface BudgetExecutionScore {
  source: 'ledger' | 'evaluator';
  budgetFen: number;
  executedFen: number;
  /** executed / budget in percent, two decimals, not capped; null when the budget is 0. */
  ratePercent: number | null;
  weight: number;
  score: number;
  note?: string;
}

export interface EvaluationScore {
  indicators: ScoredIndicator[];
  budgetExecution: BudgetExecutionScore;
  levels: Record<EvaluationLevel, LevelScore>;
  /** Out of 100, two decimals, the exact sum of the level scores. */
  total: number;
  grade: Grade;
}

export interface EvaluationProblem {
  field: string;
  message: string;
}

/**
 * What is wrong with an input for these targets, field by field (empty when it can be scored).
 * The input is assumed to have passed evaluationInputSchema; the band check is repeated anyway.
 */
export function evaluationInputProblems(targets: readonly Indicator[], input: EvaluationInput): EvaluationProblem[] {
  const problems: EvaluationProblem[] = [];
  if (targets.length === 0) return [{ field: 'indicators', message: 'the project has no performance targets to score' }];
  const byId = new Map(targets.map((indicator) => [indicator.id, indicator]));
  const given = new Set(input.indicators.map((entry) => entry.indicatorId));
  const missing = targets.filter((indicator) => !given.has(indicator.id)).map((indicator) => indicator.id);
  if (missing.length > 0) problems.push({ field: 'indicators', message: `indicators not scored: ${missing.join(', ')}` });
  input.indicators.forEach((entry, index) => {
    const indicator = byId.get(entry.indicatorId);
    if (!indicator) {
      problems.push({ field: `indicators.${index}.indicatorId`, message: `unknown indicator ${entry.indicatorId}` });
      return;
    }
    if (indicator.comparator === 'qualitative') {
      if (entry.band === undefined || entry.percent === undefined) {
        problems.push({ field: `indicators.${index}.band`, message: `indicator ${indicator.id} is qualitative: give band and percent` });
      } else if (!percentInBand(entry.band, entry.percent)) {
        problems.push({ field: `indicators.${index}.percent`, message: `must be ${bandRangeText(entry.band)}` });
      }
    } else if (entry.actual === undefined) {
      problems.push({
        field: `indicators.${index}.actual`,
        message: `indicator ${indicator.id} is quantitative (${indicator.comparator} ${indicator.targetValue ?? '?'}): give actual`,
      });
    } else if (indicator.targetValue === undefined) {
      problems.push({ field: `indicators.${index}.indicatorId`, message: `indicator ${indicator.id} has no target value` });
    }
  });
  return problems;
}

/** The same check as one refusal text (null when the input can be scored), for machine guards. */
export function checkEvaluationInput(targets: readonly Indicator[], input: EvaluationInput): string | null {
  const problems = evaluationInputProblems(targets, input);
  return problems.length === 0 ? null : problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
}

/** Clamps to [low, high]; NaN (only reachable with values near the float limit) counts as low. */
const clamp = (value: number, low: number, high: number) => (Number.isNaN(value) ? low : Math.min(high, Math.max(low, value)));

/** round(numerator × weightH / denominator), falling back to the ratio form if the product overflows. */
function scaled(numerator: number, weightH: number, denominator: number): number {
  const product = numerator * weightH;
  return Math.round(Number.isFinite(product) ? product / denominator : (numerator / denominator) * weightH);
}

/**
 * Hundredths earned by an indicator worth `weightH` hundredths. Each formula is one multiplication
 * and one division, so a result that is exactly half a hundredth rounds half up as by hand.
 */
export function indicatorHundredths(
  indicator: Pick<Indicator, 'comparator' | 'targetValue'>,
  entry: Pick<IndicatorInput, 'actual' | 'band' | 'percent'>,
  weightH: number,
  rules: Pick<EvaluationRules, 'equalZeroAtRelativeError'>,
): number {
  if (indicator.comparator === 'qualitative') {
    if (entry.band === undefined || entry.percent === undefined || !percentInBand(entry.band, entry.percent)) {
      throw new RangeError('a qualitative indicator needs a band and a percent within it');
    }
    return clamp(scaled(entry.percent, weightH, 100), 0, weightH);
  }
  const target = indicator.targetValue;
  const actual = entry.actual;
  if (target === undefined || actual === undefined) throw new RangeError('a quantitative indicator needs a target and an actual value');
  let earned: number;
  switch (indicator.comparator) {
    case '>=':
      if (actual >= target) earned = weightH;
      else earned = target > 0 ? scaled(actual, weightH, target) : 0;
      break;
    case '<=':
      if (actual <= target) earned = weightH;
      else if (target <= 0 || actual - target >= target) earned = 0;
      else earned = scaled(target - (actual - target), weightH, target);
      break;
    case '=': {
      if (actual === target) earned = weightH;
      else if (target <= 0) earned = 0;
      else {
        const zeroAt = rules.equalZeroAtRelativeError * target;
        const error = Math.abs(actual - target);
        earned = error >= zeroAt ? 0 : scaled(zeroAt - error, weightH, zeroAt);
      }
      break;
    }
  }
  return clamp(earned, 0, weightH);
}

/** Splits `total` hundredths by the given shares (largest remainder; ties to the earlier share). */
export function splitHundredths(total: number, shares: readonly number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total <= 0) return shares.map(() => 0);
  const exact = shares.map((share) => (total * share) / sum);
  const parts = exact.map((value) => Math.floor(value));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let k = 0; left > 0 && order.length > 0; k = (k + 1) % order.length, left--) parts[order[k]!.index]! += 1;
  return parts;
}

const toHundredths = (points: number) => Math.round(points * 100);
const toPoints = (hundredths: number) => hundredths / 100;

/** Half-up division of non-negative bigints. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** The hundredths each level may earn, after redistributing the weight of levels without indicators. */
function levelHundredths(targets: readonly Indicator[], rules: EvaluationRules): Record<EvaluationLevel, number> {
  const configured = Object.fromEntries(EVALUATION_LEVELS.map((level) => [level, toHundredths(rules.levelWeights[level])])) as Record<
    EvaluationLevel,
    number
  >;
  if (rules.emptyLevel === 'zero') return configured;
  const present = INDICATOR_LEVEL_NAMES.filter((level) => targets.some((indicator) => indicator.level === level));
  const indicatorTotal = INDICATOR_LEVEL_NAMES.reduce((sum, level) => sum + configured[level], 0);
  const shares = splitHundredths(indicatorTotal, present.map((level) => configured[level]));
  const result = { ...configured, 产出: 0, 效益: 0, 满意度: 0 };
  present.forEach((level, index) => {
    result[level] = shares[index]!;
  });
  return result;
}

/**
 * Scores an evaluation. Throws a RangeError when the input does not fit the targets (check it
 * first with evaluationInputProblems / checkEvaluationInput: a refusal is a value, not a throw).
 */
export function scoreEvaluation(
  targets: readonly Indicator[],
  input: EvaluationInput,
  facts: EvaluationFacts,
  rules: EvaluationRules,
): EvaluationScore {
  const refusal = checkEvaluationInput(targets, input);
  if (refusal !== null) throw new RangeError(`the evaluation cannot be scored: ${refusal}`);
  const entries = new Map(input.indicators.map((entry) => [entry.indicatorId, entry]));
  const levelWeightH = levelHundredths(targets, rules);

  const indicatorWeightH = new Map<string, number>();
  for (const level of INDICATOR_LEVEL_NAMES) {
    const members = targets.filter((indicator) => indicator.level === level);
    const split = splitHundredths(levelWeightH[level], members.map((indicator) => indicator.weight));
    members.forEach((indicator, index) => indicatorWeightH.set(indicator.id, split[index]!));
  }

  const levelScoreH: Record<EvaluationLevel, number> = { 预算执行: 0, 产出: 0, 效益: 0, 满意度: 0 };
  const indicators: ScoredIndicator[] = targets.map((indicator) => {
    const entry = entries.get(indicator.id)!;
    const weightH = indicatorWeightH.get(indicator.id)!;
    const earnedH = indicatorHundredths(indicator, entry, weightH, rules);
    levelScoreH[indicator.level] += earnedH;
    const qualitative = indicator.comparator === 'qualitative';
    return {
      indicatorId: indicator.id,
      level: indicator.level,
      subLevel: indicator.subLevel,
      name: indicator.name,
      unit: indicator.unit,
      comparator: indicator.comparator,
      targetValue: indicator.targetValue ?? null,
      actual: qualitative ? null : (entry.actual ?? null),
      band: qualitative ? (entry.band ?? null) : null,
      percent: qualitative ? (entry.percent ?? null) : null,
      declaredWeight: indicator.weight,
      weight: toPoints(weightH),
      score: toPoints(earnedH),
      ...(entry.note ? { note: entry.note } : {}),
    };
  });

  const budgetWeightH = levelWeightH.预算执行;
  const given = input.budgetExecution;
  const budgetFen = given ? given.budgetFen : facts.committedFen;
  const executedFen = given ? given.executedFen : facts.disbursedFen;
  let budgetH = 0;
  let ratePercent: number | null = null;
  if (budgetFen > 0) {
    const budget = BigInt(budgetFen);
    const executed = BigInt(Math.max(0, executedFen));
    ratePercent = Number(divideHalfUp(executed * 10_000n, budget)) / 100;
    budgetH = Number(divideHalfUp((executed < budget ? executed : budget) * BigInt(budgetWeightH), budget));
  }
  levelScoreH.预算执行 = budgetH;

  const totalH = EVALUATION_LEVELS.reduce((sum, level) => sum + levelScoreH[level], 0);
  const total = toPoints(totalH);
  const levels = Object.fromEntries(
    EVALUATION_LEVELS.map((level) => [
      level,
      {
        weight: toPoints(levelWeightH[level]),
        score: toPoints(levelScoreH[level]),
        indicatorCount: level === '预算执行' ? 0 : targets.filter((indicator) => indicator.level === level).length,
      },
    ]),
  ) as Record<EvaluationLevel, LevelScore>;

  return {
    indicators,
    budgetExecution: {
      source: given ? 'evaluator' : 'ledger',
      budgetFen,
      executedFen,
      ratePercent,
      weight: toPoints(budgetWeightH),
      score: toPoints(budgetH),
      ...(given?.note ? { note: given.note } : {}),
    },
    levels,
    total,
    grade: gradeOf(total),
  };
}

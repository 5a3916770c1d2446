import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EVALUATION_RULES,
  EVALUATION_LEVELS,
  evaluationRulesSchema,
  type EvaluationRules,
} from '../../config/evaluation-rules.ts';
import { INDICATOR_LEVELS, indicatorSchema, type Indicator } from '../../machines/project.schemas.ts';
import { gradeOf } from '../../src/domain/evaluation-grade.ts';
import {
  checkEvaluationInput,
  evaluationInputProblems,
  evaluationInputSchema,
  indicatorHundredths,
  scoreEvaluation,
  splitHundredths,
  type EvaluationInput,
  type QualitativeBand,
} from '../../src/domain/evaluation-scoring.ts';

const indicator = (fields: Record<string, unknown>): Indicator => indicatorSchema.parse({ unit: '', ...fields });

/** The sample targets of tests/support/test-app.ts. */
const SAMPLE: Indicator[] = [
  indicator({ id: 'OUT1', level: '产出', subLevel: '数量', name: '举办培训场次', unit: '场', comparator: '>=', targetValue: 10, weight: 40 }),
  indicator({ id: 'OUT2', level: '产出', subLevel: '时效', name: '完成时间', unit: '天', comparator: '<=', targetValue: 180, weight: 20 }),
  indicator({ id: 'EFF1', level: '效益', subLevel: '社会效益', name: '受益企业数', unit: '家', comparator: '>=', targetValue: 100, weight: 30 }),
  indicator({ id: 'SAT1', level: '满意度', subLevel: '服务对象满意度', name: '参训企业满意度', comparator: 'qualitative', weight: 10 }),
];

const rules = (fields: Record<string, unknown> = {}): EvaluationRules => evaluationRulesSchema.parse(fields);

/** Hundredths of a score, so that comparisons are exact. */
const h = (points: number) => Math.round(points * 100);

describe('evaluation rules (config)', () => {
  it('defaults to budget execution 10, output 50, effect 30, satisfaction 10', () => {
    expect(DEFAULT_EVALUATION_RULES.levelWeights).toEqual({ 预算执行: 10, 产出: 50, 效益: 30, 满意度: 10 });
    expect(DEFAULT_EVALUATION_RULES.emptyLevel).toBe('redistribute');
    expect(DEFAULT_EVALUATION_RULES.equalZeroAtRelativeError).toBe(1);
  });

  it('refuses level weights that do not add up to 100, or with more than two decimals', () => {
    expect(evaluationRulesSchema.safeParse({ levelWeights: { 预算执行: 10, 产出: 50, 效益: 30, 满意度: 20 } }).success).toBe(false);
    expect(evaluationRulesSchema.safeParse({ levelWeights: { 预算执行: 10.005, 产出: 49.995, 效益: 30, 满意度: 10 } }).success).toBe(false);
    expect(evaluationRulesSchema.safeParse({ levelWeights: { 预算执行: 12.5, 产出: 47.5, 效益: 30, 满意度: 10 } }).success).toBe(true);
  });
});

describe('splitHundredths (largest remainder)', () => {
  it.each([
    // 5000 × 40/60 = 3333.33, 5000 × 20/60 = 1666.67: floors 3333 + 1666 = 4999, the 1 left goes to .67
    [5000, [40, 20], [3333, 1667]],
    // 10000 / 3 = 3333.33 each: 9999, the 1 left goes to the first (ties by order)
    [10000, [1, 1, 1], [3334, 3333, 3333]],
    // 9000 × 50/80 = 5625, 9000 × 30/80 = 3375: exact
    [9000, [50, 30], [5625, 3375]],
    [0, [1, 2], [0, 0]],
  ])('splits %i by %j into %j', (total, shares, expected) => {
    expect(splitHundredths(total, shares)).toEqual(expected);
  });
});

describe('scoreEvaluation: hand-worked tables', () => {
  it('the sample targets with default rules: 85.98, 良', () => {
    const input: EvaluationInput = {
      indicators: [
        { indicatorId: 'OUT1', actual: 8 },
        { indicatorId: 'OUT2', actual: 200 },
        { indicatorId: 'EFF1', actual: 120, note: '超额完成' },
        { indicatorId: 'SAT1', band: 'partly-achieved', percent: 70 },
      ],
    };
    const result = scoreEvaluation(SAMPLE, input, { committedFen: 12_000_000, disbursedFen: 9_000_000 }, DEFAULT_EVALUATION_RULES);
    // Weights: 产出 50 over declared 40:20 → 33.33 + 16.67 (largest remainder); 效益 30 → EFF1 30; 满意度 10 → SAT1 10.
    // OUT1 (>= 10): 8 < 10 → 8 × 3333 / 10 = 2666.4 → 2666 → 26.66
    // OUT2 (<= 180): 200 > 180 → (360 − 200) × 1667 / 180 = 266720 / 180 = 1481.78 → 1482 → 14.82
    // EFF1 (>= 100): 120 ≥ 100 → full 30.00
    // SAT1 (部分达成 70%): 70 × 1000 / 100 = 700 → 7.00
    // 预算执行: 9,000,000 / 12,000,000 = 75% × 10 = 7.50
    // total = 7.50 + 26.66 + 14.82 + 30.00 + 7.00 = 85.98 → 良
    expect(result.indicators.map((row) => [row.indicatorId, row.weight, row.score])).toEqual([
      ['OUT1', 33.33, 26.66],
      ['OUT2', 16.67, 14.82],
      ['EFF1', 30, 30],
      ['SAT1', 10, 7],
    ]);
    expect(result.budgetExecution).toMatchObject({ source: 'ledger', budgetFen: 12_000_000, executedFen: 9_000_000, ratePercent: 75, weight: 10, score: 7.5 });
    expect(result.levels).toEqual({
      预算执行: { weight: 10, score: 7.5, indicatorCount: 0 },
      产出: { weight: 50, score: 41.48, indicatorCount: 2 },
      效益: { weight: 30, score: 30, indicatorCount: 1 },
      满意度: { weight: 10, score: 7, indicatorCount: 1 },
    });
    expect(result.total).toBe(85.98);
    expect(result.grade).toBe('良');
    expect(result.indicators[2]).toMatchObject({ note: '超额完成', actual: 120, targetValue: 100, declaredWeight: 30 });
    expect(result.indicators[3]).toMatchObject({ band: 'partly-achieved', percent: 70, actual: null });
  });

  const MIXED: Indicator[] = [
    indicator({ id: 'Q1', level: '产出', subLevel: '数量', name: '服务企业数', comparator: '>=', targetValue: 20, weight: 30 }),
    indicator({ id: 'Q2', level: '产出', subLevel: '质量', name: '验收合格率', unit: '%', comparator: '=', targetValue: 100, weight: 20 }),
    indicator({ id: 'E1', level: '效益', subLevel: '经济效益', name: '带动企业发展', comparator: 'qualitative', weight: 50 }),
  ];
  const MIXED_INPUT: EvaluationInput = {
    indicators: [
      { indicatorId: 'Q1', actual: 25 },
      { indicatorId: 'Q2', actual: 90 },
      { indicatorId: 'E1', band: 'achieved', percent: 85 },
    ],
    budgetExecution: { budgetFen: 1_000_000, executedFen: 1_000_000, note: '据审计报告' },
  };

  it("no 满意度 indicator, '=' and the evaluator's budget figures, redistributing: 92.69, 优", () => {
    const result = scoreEvaluation(MIXED, MIXED_INPUT, { committedFen: 5_000_000, disbursedFen: 1 }, DEFAULT_EVALUATION_RULES);
    // 满意度 has no indicator: its 10 go to 产出 and 效益 in proportion 50:30 of the 90 indicator points:
    //   产出 9000 × 50/80 = 5625 (56.25), 效益 9000 × 30/80 = 3375 (33.75)
    // Q1, Q2 share 56.25 by 30:20: 5625 × 30/50 = 3375, 5625 × 20/50 = 2250
    // Q1 (>= 20): 25 → full 33.75
    // Q2 (= 100): 90, relative error 10% → 2250 × (100 − 10) / 100 = 2025 → 20.25
    // E1 (达成 85%): 85 × 3375 / 100 = 2868.75 → 2869 → 28.69
    // 预算执行 from the evaluator's figures (not the ledger's 1 fen): 1,000,000 / 1,000,000 = 100% → 10.00
    // total = 10 + 33.75 + 20.25 + 28.69 = 92.69 → 优
    expect(result.indicators.map((row) => [row.indicatorId, row.weight, row.score])).toEqual([
      ['Q1', 33.75, 33.75],
      ['Q2', 22.5, 20.25],
      ['E1', 33.75, 28.69],
    ]);
    expect(result.levels.满意度).toEqual({ weight: 0, score: 0, indicatorCount: 0 });
    expect(result.levels.产出).toEqual({ weight: 56.25, score: 54, indicatorCount: 2 });
    expect(result.budgetExecution).toMatchObject({ source: 'evaluator', ratePercent: 100, score: 10, note: '据审计报告' });
    expect(result.total).toBe(92.69);
    expect(result.grade).toBe('优');
  });

  it('the same with emptyLevel zero: the missing level keeps its weight and scores 0: 83.50, 良', () => {
    const result = scoreEvaluation(MIXED, MIXED_INPUT, { committedFen: 5_000_000, disbursedFen: 1 }, rules({ emptyLevel: 'zero' }));
    // 产出 50 → Q1 30, Q2 20; 效益 30 → E1 30; 满意度 10 with no indicator scores 0
    // Q1 full 30.00; Q2 2000 × 90/100 = 1800 → 18.00; E1 3000 × 85/100 = 2550 → 25.50; 预算执行 10.00
    // total = 10 + 30 + 18 + 25.50 = 83.50 → 良
    expect(result.indicators.map((row) => row.score)).toEqual([30, 18, 25.5]);
    expect(result.levels.满意度).toEqual({ weight: 10, score: 0, indicatorCount: 0 });
    expect(result.total).toBe(83.5);
    expect(result.grade).toBe('良');
  });

  it('half a hundredth rounds up, as by hand', () => {
    // 1 of 2 against a weight of 33.33: 1 × 3333 / 2 = 1666.5 → 1667 → 16.67
    expect(indicatorHundredths({ comparator: '>=', targetValue: 2 }, { actual: 1 }, 3333, DEFAULT_EVALUATION_RULES)).toBe(1667);
    // the budget rate: 1 fen of 3 fen × 10 points: 1000 / 3 = 333.33 → 333; 2 of 3 → 666.67 → 667
    const one = scoreEvaluation(SAMPLE.slice(0, 1), { indicators: [{ indicatorId: 'OUT1', actual: 10 }] }, { committedFen: 3, disbursedFen: 1 }, DEFAULT_EVALUATION_RULES);
    expect(one.budgetExecution).toMatchObject({ score: 3.33, ratePercent: 33.33 });
    const two = scoreEvaluation(SAMPLE.slice(0, 1), { indicators: [{ indicatorId: 'OUT1', actual: 10 }] }, { committedFen: 3, disbursedFen: 2 }, DEFAULT_EVALUATION_RULES);
    expect(two.budgetExecution).toMatchObject({ score: 6.67, ratePercent: 66.67 });
    // only 产出 has indicators, so it gets all 90 points: total 90 + 3.33
    expect(one.total).toBe(93.33);
  });

  const W = 1000; // 10.00 points
  it.each([
    // [comparator, target, actual, hundredths earned, the working]
    ['>=', 10, 10, 1000, 'met'],
    ['>=', 10, 12, 1000, 'over target: still the full weight'],
    ['>=', 10, 5, 500, '5/10 × 1000'],
    ['>=', 10, 0, 0, '0/10'],
    ['>=', 10, -3, 0, 'negative: clamped to 0'],
    ['>=', 0, 0, 1000, 'a 0 target is met by 0'],
    ['>=', 3, 1, 333, '1/3 × 1000 = 333.33'],
    ['<=', 180, 180, 1000, 'met'],
    ['<=', 180, 90, 1000, 'better than target'],
    ['<=', 180, 270, 500, '(360 − 270)/180 × 1000'],
    ['<=', 180, 360, 0, 'twice the target: 0'],
    ['<=', 180, 400, 0, 'beyond twice: 0'],
    ['<=', 180, 181, 994, '(360 − 181)/180 × 1000 = 994.44'],
    ['<=', 0, 0, 1000, 'a 0 target is met by 0'],
    ['<=', 0, 1, 0, 'a 0 target: anything above scores 0'],
    ['=', 100, 100, 1000, 'equal'],
    ['=', 100, 90, 900, '10% off: (100 − 10)/100 × 1000'],
    ['=', 100, 110, 900, '10% over: symmetric'],
    ['=', 100, 200, 0, '+100%: 0'],
    ['=', 100, 0, 0, '−100%: 0'],
    ['=', 100, 250, 0, 'beyond: 0'],
    ['=', 0, 0, 1000, 'equal to 0'],
    ['=', 0, 1, 0, 'a 0 target, not met'],
  ] as const)("'%s' target %d, actual %d → %i hundredths (%s)", (comparator, target, actual, expected, _working) => {
    expect(indicatorHundredths({ comparator, targetValue: target }, { actual }, W, DEFAULT_EVALUATION_RULES)).toBe(expected);
  });

  it("'=' reaches 0 at the configured relative error", () => {
    // zero at ±50%: 10% off → (50 − 10)/50 × 1000 = 800; 50% off → 0
    const half = rules({ equalZeroAtRelativeError: 0.5 });
    expect(indicatorHundredths({ comparator: '=', targetValue: 100 }, { actual: 90 }, W, half)).toBe(800);
    expect(indicatorHundredths({ comparator: '=', targetValue: 100 }, { actual: 150 }, W, half)).toBe(0);
  });

  it.each([
    ['achieved', 100, 1000],
    ['achieved', 80, 800],
    ['partly-achieved', 79.99, 800], // 79.99 × 1000/100 = 799.9 → 800
    ['partly-achieved', 60, 600],
    ['not-achieved', 59.5, 595],
    ['not-achieved', 0, 0],
  ] as const)('qualitative %s %d%% → %i hundredths', (band, percent, expected) => {
    expect(indicatorHundredths({ comparator: 'qualitative' }, { band, percent }, W, DEFAULT_EVALUATION_RULES)).toBe(expected);
  });
});

describe('grade boundaries', () => {
  // One '>=' indicator with target 10000 worth all 100 points: actual a scores a hundredths exactly.
  const only = [indicator({ id: 'X', level: '产出', subLevel: '数量', name: 'x', comparator: '>=', targetValue: 10_000, weight: 1 })];
  const allOutput = rules({ levelWeights: { 预算执行: 0, 产出: 100, 效益: 0, 满意度: 0 } });

  it.each([
    [5999, 59.99, '差'],
    [6000, 60, '中'],
    [7999, 79.99, '中'],
    [8000, 80, '良'],
    [8999, 89.99, '良'],
    [9000, 90, '优'],
    [10_000, 100, '优'],
    [0, 0, '差'],
  ] as const)('actual %i of 10000 → total %d, %s', (actual, total, grade) => {
    const result = scoreEvaluation(only, { indicators: [{ indicatorId: 'X', actual }] }, { committedFen: 0, disbursedFen: 0 }, allOutput);
    expect(result.total).toBe(total);
    expect(result.grade).toBe(grade);
    expect(gradeOf(total)).toBe(grade);
  });

  it('with the default rules: 10 budget points + 50 output + 30 effect + satisfaction band', () => {
    // 预算执行 full (10) + OUT1, OUT2 full (50) + EFF1 full (30) = 90; SAT1 not achieved 0% → 90.00 优
    const full = { indicators: [
      { indicatorId: 'OUT1', actual: 10 }, { indicatorId: 'OUT2', actual: 100 }, { indicatorId: 'EFF1', actual: 100 },
      { indicatorId: 'SAT1', band: 'not-achieved' as const, percent: 0 },
    ] };
    const result = scoreEvaluation(SAMPLE, full, { committedFen: 100, disbursedFen: 100 }, DEFAULT_EVALUATION_RULES);
    expect([result.total, result.grade]).toEqual([90, '优']);
    // one fen less disbursed: 99/100 × 1000 = 990 → 9.90 → 89.90 良
    const less = scoreEvaluation(SAMPLE, full, { committedFen: 100, disbursedFen: 99 }, DEFAULT_EVALUATION_RULES);
    expect([less.total, less.grade]).toEqual([89.9, '良']);
  });
});

describe('input validation', () => {
  it('refuses a percent outside its band, naming the field', () => {
    const result = evaluationInputSchema.safeParse({ indicators: [{ indicatorId: 'SAT1', band: 'achieved', percent: 79 }] });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['indicators', 0, 'percent'] });
    expect(evaluationInputSchema.safeParse({ indicators: [{ indicatorId: 'SAT1', band: 'partly-achieved', percent: 80 }] }).success).toBe(false);
    expect(evaluationInputSchema.safeParse({ indicators: [{ indicatorId: 'SAT1', band: 'not-achieved', percent: 60 }] }).success).toBe(false);
    expect(evaluationInputSchema.safeParse({ indicators: [{ indicatorId: 'SAT1', band: 'partly-achieved', percent: 60 }] }).success).toBe(true);
  });

  it.each([
    ['both actual and band', { indicatorId: 'A', actual: 1, band: 'achieved', percent: 90 }, 'actual'],
    ['neither', { indicatorId: 'A' }, 'actual'],
    ['a band without percent', { indicatorId: 'A', band: 'achieved' }, 'percent'],
    ['a percent without band', { indicatorId: 'A', percent: 90 }, 'band'],
    ['a percent above 100', { indicatorId: 'A', band: 'achieved', percent: 101 }, 'percent'],
    ['an infinite actual', { indicatorId: 'A', actual: Infinity }, 'actual'],
  ])('refuses %s', (_name, entry, field) => {
    const result = evaluationInputSchema.safeParse({ indicators: [entry] });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(`indicators.0.${field}`);
  });

  it('refuses duplicates and bad budget figures', () => {
    expect(evaluationInputSchema.safeParse({ indicators: [{ indicatorId: 'A', actual: 1 }, { indicatorId: 'A', actual: 2 }] }).success).toBe(false);
    expect(evaluationInputSchema.safeParse({ indicators: [{ indicatorId: 'A', actual: 1 }], budgetExecution: { budgetFen: 0, executedFen: 0 } }).success).toBe(false);
    expect(evaluationInputSchema.safeParse({ indicators: [{ indicatorId: 'A', actual: 1 }], budgetExecution: { budgetFen: 10, executedFen: 1.5 } }).success).toBe(false);
  });

  it('lists what does not fit the targets, field by field', () => {
    const problems = evaluationInputProblems(SAMPLE, {
      indicators: [
        { indicatorId: 'OUT1', band: 'achieved', percent: 90 },
        { indicatorId: 'SAT1', actual: 95 },
        { indicatorId: 'NOPE', actual: 1 },
      ],
    });
    expect(problems).toEqual([
      { field: 'indicators', message: 'indicators not scored: OUT2, EFF1' },
      { field: 'indicators.0.actual', message: 'indicator OUT1 is quantitative (>= 10): give actual' },
      { field: 'indicators.1.band', message: 'indicator SAT1 is qualitative: give band and percent' },
      { field: 'indicators.2.indicatorId', message: 'unknown indicator NOPE' },
    ]);
    expect(checkEvaluationInput([], { indicators: [{ indicatorId: 'A', actual: 1 }] })).toMatch(/no performance targets/);
    expect(() => scoreEvaluation(SAMPLE, { indicators: [{ indicatorId: 'OUT1', actual: 1 }] }, { committedFen: 1, disbursedFen: 1 }, DEFAULT_EVALUATION_RULES)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------- properties

const LEVEL_KEYS = Object.keys(INDICATOR_LEVELS) as (keyof typeof INDICATOR_LEVELS)[];
const value = fc.double({ min: -1e9, max: 1e9, noNaN: true });
const target = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1_000_000 }), fc.double({ min: 0, max: 1e9, noNaN: true }));
const declaredWeight = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.01, max: 100, noNaN: true }));
const BANDS: Record<QualitativeBand, [number, number]> = { achieved: [80, 100], 'partly-achieved': [60, 79.99], 'not-achieved': [0, 59.99] };

const indicatorArb = fc
  .record({
    level: fc.constantFrom(...LEVEL_KEYS),
    comparator: fc.constantFrom('>=', '<=', '=', 'qualitative'),
    targetValue: target,
    weight: declaredWeight,
  })
  .map(({ level, comparator, targetValue, weight }) => ({ level, subLevel: INDICATOR_LEVELS[level][0], comparator, targetValue, weight }));

const entryFor = (comparator: string) =>
  comparator === 'qualitative'
    ? fc.constantFrom(...(Object.keys(BANDS) as QualitativeBand[])).chain((band) =>
        fc.double({ min: BANDS[band][0], max: BANDS[band][1], noNaN: true }).map((percent) => ({ band, percent })),
      )
    : value.map((actual) => ({ actual }));

const caseArb = fc
  .array(indicatorArb, { minLength: 1, maxLength: 8 })
  .chain((raw) => {
    const targets = raw.map((fields, index) => indicator({ id: `I${index}`, name: `指标${index}`, ...fields }));
    return fc.record({
      targets: fc.constant(targets),
      entries: fc.tuple(...targets.map((t) => entryFor(t.comparator))),
      committedFen: fc.integer({ min: 0, max: 1_000_000_000 }),
      disbursedFen: fc.integer({ min: 0, max: 1_000_000_000 }),
      emptyLevel: fc.constantFrom('redistribute', 'zero'),
    });
  });

describe('scoring properties', () => {
  it('every score lies in [0, weight], levels add up, the total is exact in hundredths and out of 100', () => {
    fc.assert(
      fc.property(caseArb, ({ targets, entries, committedFen, disbursedFen, emptyLevel }) => {
        const input = evaluationInputSchema.parse({
          indicators: targets.map((t, index) => ({ indicatorId: t.id, ...entries[index] })),
        });
        const result = scoreEvaluation(targets, input, { committedFen, disbursedFen: Math.min(disbursedFen, committedFen) }, rules({ emptyLevel }));
        for (const row of [...result.indicators, result.budgetExecution]) {
          expect(row.score).toBeGreaterThanOrEqual(0);
          expect(row.score).toBeLessThanOrEqual(row.weight);
          expect(h(row.score) / 100).toBe(row.score);
        }
        for (const level of EVALUATION_LEVELS) {
          const members = result.indicators.filter((row) => row.level === level);
          if (level !== '预算执行') {
            expect(members.reduce((sum, row) => sum + h(row.score), 0)).toBe(h(result.levels[level].score));
            expect(members.reduce((sum, row) => sum + h(row.weight), 0)).toBe(members.length ? h(result.levels[level].weight) : 0);
          }
          expect(result.levels[level].score).toBeLessThanOrEqual(result.levels[level].weight);
        }
        const weights = EVALUATION_LEVELS.reduce((sum, level) => sum + h(result.levels[level].weight), 0);
        expect(weights).toBe(10_000);
        const totalH = EVALUATION_LEVELS.reduce((sum, level) => sum + h(result.levels[level].score), 0);
        expect(h(result.total)).toBe(totalH);
        expect(totalH / 100).toBe(result.total);
        expect(result.total).toBeGreaterThanOrEqual(0);
        expect(result.total).toBeLessThanOrEqual(100);
        expect(result.grade).toBe(gradeOf(result.total));
      }),
      { numRuns: 500 },
    );
  });

  const oneQuantitative = (comparator: '>=' | '<=' | '=') =>
    fc.record({ targetValue: target, weightH: fc.integer({ min: 1, max: 10_000 }), a: value, b: value }).map(({ a, b, ...rest }) => ({
      ...rest,
      low: Math.min(a, b),
      high: Math.max(a, b),
      comparator,
    }));

  it("'>=' is non-decreasing in the actual value, full once the target is met", () => {
    fc.assert(
      fc.property(oneQuantitative('>='), ({ targetValue, weightH, low, high, comparator }) => {
        const at = (actual: number) => indicatorHundredths({ comparator, targetValue }, { actual }, weightH, DEFAULT_EVALUATION_RULES);
        expect(at(low)).toBeLessThanOrEqual(at(high));
        if (high >= targetValue) expect(at(high)).toBe(weightH);
      }),
      { numRuns: 2000 },
    );
  });

  it("'<=' is non-increasing in the actual value, full when met and 0 from twice the target", () => {
    fc.assert(
      fc.property(oneQuantitative('<='), ({ targetValue, weightH, low, high, comparator }) => {
        const at = (actual: number) => indicatorHundredths({ comparator, targetValue }, { actual }, weightH, DEFAULT_EVALUATION_RULES);
        expect(at(low)).toBeGreaterThanOrEqual(at(high));
        if (low <= targetValue) expect(at(low)).toBe(weightH);
        if (high >= 2 * targetValue && high > targetValue) expect(at(high)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("'=' never rises as the actual value moves away from the target", () => {
    fc.assert(
      fc.property(oneQuantitative('='), ({ targetValue, weightH, low, high, comparator }) => {
        const at = (actual: number) => indicatorHundredths({ comparator, targetValue }, { actual }, weightH, DEFAULT_EVALUATION_RULES);
        if (high <= targetValue) expect(at(low)).toBeLessThanOrEqual(at(high));
        if (low >= targetValue) expect(at(low)).toBeGreaterThanOrEqual(at(high));
        expect(at(targetValue)).toBe(weightH);
      }),
      { numRuns: 2000 },
    );
  });

  it('qualitative scores stay in their band: 80–100%, 60–<80%, <60% of the weight', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(BANDS) as QualitativeBand[])).chain((band) =>
          fc.record({ band: fc.constant(band), percent: fc.double({ min: BANDS[band][0], max: BANDS[band][1], noNaN: true }), weightH: fc.integer({ min: 100, max: 10_000 }) }),
        ),
        ({ band, percent, weightH }) => {
          const earned = indicatorHundredths({ comparator: 'qualitative' }, { band, percent }, weightH, DEFAULT_EVALUATION_RULES);
          // rounding to a hundredth may touch the band's upper edge, never go past it
          expect(earned).toBeGreaterThanOrEqual(Math.floor((BANDS[band][0] * weightH) / 100));
          expect(earned).toBeLessThanOrEqual(Math.ceil(((band === 'achieved' ? 100 : BANDS[band][1] + 0.01) * weightH) / 100));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

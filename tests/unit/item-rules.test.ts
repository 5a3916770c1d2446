import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUDGET_CATEGORIES, DEFAULT_ITEM_RULES, itemRulesSchema, type BudgetCategory } from '../../config/item-rules.ts';
import { ITEM_IDS } from '../../config/plan.ts';
import type { QualificationId } from '../../config/qualifications.ts';
import {
  budgetLineCovering,
  checkBudgetLines,
  checkDecisionReference,
  checkEnterpriseType,
  checkItemRulesAtSubmit,
  checkListing,
  checkTrainingLine,
  reviewFlags,
} from '../../src/domain/item-rules.ts';
import { budgetLineSchema, type BudgetLine } from '../../src/domain/project.schemas.ts';

const rules = DEFAULT_ITEM_RULES;
const CAP_DAY = rules.trainingFeeCaps.perPersonPerDayFen; // 45,000 fen = 450 元
const CAP_SESSION = rules.trainingFeeCaps.perSessionFen; // 10,000,000 fen = 100,000 元
const AT = '2025-01-15T02:00:00.000Z'; // 2025-01-15 in Beijing
const TODAY = '2025-01-15';

const line = (category: BudgetCategory, amountFen: number, extra: Partial<BudgetLine> = {}): BudgetLine => ({ category, description: '用途', amountFen, ...extra });
const codeOf = (verdict: { code: string } | null) => verdict?.code ?? null;

describe('开支范围: each item takes only the cost categories of its own clause', () => {
  const cases: [item: number, category: BudgetCategory, code: string | null][] = [
    [1, 'equipment-software', null],
    [1, 'platform-construction', null],
    [1, 'operation-maintenance', null],
    [1, 'training', 'budget-line-out-of-scope'],
    [2, 'exhibition-booth', null],
    [2, 'listing-service', 'budget-line-out-of-scope'],
    [3, 'event-organisation', null],
    [3, 'equipment-software', 'budget-line-out-of-scope'],
    [4, 'publicity-media', null],
    [4, 'event-organisation', 'budget-line-out-of-scope'],
    [5, 'study-trip', null],
    [5, 'publicity-media', 'budget-line-out-of-scope'],
    [6, 'information-service', null],
    [6, 'equipment-software', 'budget-line-out-of-scope'],
    [7, 'event-organisation', null],
    [7, 'listing-service', 'budget-line-out-of-scope'],
    [8, 'expert-consulting', null],
    [8, 'equipment-software', 'budget-line-out-of-scope'],
    [9, 'study-trip', null],
    [9, 'publicity-media', 'budget-line-out-of-scope'],
    // Item 10 has no cost clause: any category passes (reviewers see a flag instead).
    [10, 'equipment-software', null],
    [10, 'other', null],
    [11, 'listing-service', null],
    [11, 'training', 'budget-line-out-of-scope'],
    [12, 'research-cooperation', null],
    [12, 'equipment-software', 'budget-line-out-of-scope'],
    // Item 13 is decided case by case by the county.
    [13, 'other', null],
  ];
  it.each(cases)('item %i, %s -> %s', (item, category, code) => {
    expect(codeOf(checkBudgetLines({ item, requestedFen: 100_000, budgetLines: [line(category, 100_000)] }, rules))).toBe(code);
  });

  it('names the row, the item and its scope in Chinese', () => {
    const verdict = checkBudgetLines({ item: 4, requestedFen: 300, budgetLines: [line('publicity-media', 100), line('training', 200, { persons: 1, days: 1 })] }, rules);
    expect(verdict).toMatchObject({ code: 'budget-line-out-of-scope', params: { line: 2, item: 4, category: 'training' } });
    expect(verdict?.zh).toBe('预算明细第 2 行“培训费”不在第 4 项的开支范围内（媒体网络宣传费）');
  });
});

describe('预算明细 add up to the requested amount', () => {
  it.each([
    [[], 100, 'budget-lines-missing'],
    [[99], 100, 'budget-lines-not-requested'],
    [[100], 100, null],
    [[101], 100, 'budget-lines-not-requested'],
    [[40, 60], 100, null],
    [[40, 59], 100, 'budget-lines-not-requested'],
  ] as const)('lines %j for %i fen -> %s', (amounts, requestedFen, code) => {
    const budgetLines = amounts.map((amount) => line('publicity-media', amount));
    expect(codeOf(checkBudgetLines({ item: 4, requestedFen, budgetLines }, rules))).toBe(code);
  });

  it('any split of the requested amount into in-scope lines passes; one fen off is refused', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 20 }), fc.boolean(), (amounts, over) => {
        const total = amounts.reduce((a, b) => a + b, 0);
        const budgetLines = amounts.map((amount) => line('publicity-media', amount));
        expect(checkBudgetLines({ item: 4, requestedFen: total, budgetLines }, rules)).toBeNull();
        const off = over ? total + 1 : total - 1;
        if (off > 0) expect(codeOf(checkBudgetLines({ item: 4, requestedFen: off, budgetLines }, rules))).toBe('budget-lines-not-requested');
      }),
    );
  });
});

describe('item 5: training-fee caps (per person per day, per session)', () => {
  it.each([
    // persons, days, sessions, amount -> code
    [10, 2, 1, 10 * 2 * CAP_DAY, null],
    [10, 2, 1, 10 * 2 * CAP_DAY + 1, 'training-above-person-day-cap'],
    [10, 0.5, 1, 5 * CAP_DAY, null],
    [10, 0.5, 1, 5 * CAP_DAY + 1, 'training-above-person-day-cap'],
    [1000, 2, 1, CAP_SESSION, null],
    [1000, 2, 1, CAP_SESSION + 1, 'training-above-session-cap'],
    [1000, 2, 2, CAP_SESSION + 1, null],
    [1000, 2, 2, 2 * CAP_SESSION, null],
    [1000, 2, 2, 2 * CAP_SESSION + 1, 'training-above-session-cap'],
  ] as const)('%i persons × %s days × %i sessions, %i fen -> %s', (persons, days, sessions, amountFen, code) => {
    expect(codeOf(checkTrainingLine(line('training', amountFen, { persons, days, sessions }), 0, rules))).toBe(code);
  });

  it('a training row needs persons and days', () => {
    expect(codeOf(checkTrainingLine(line('training', 100, { persons: 1 }), 0, rules))).toBe('training-line-incomplete');
    expect(codeOf(checkTrainingLine(line('training', 100, { days: 1 }), 0, rules))).toBe('training-line-incomplete');
  });

  it('the caps are configuration: a county standard of 300 元 per person-day refuses what 450 元 allows', () => {
    const strict = itemRulesSchema.parse({ trainingFeeCaps: { perPersonPerDayFen: 30_000 } });
    const row = line('training', 40_000, { persons: 1, days: 1 });
    expect(checkTrainingLine(row, 0, rules)).toBeNull();
    expect(checkTrainingLine(row, 0, strict)?.zh).toBe('预算明细第 1 行培训费 400.00 元 超过标准 300.00 元/人·天（1 人 × 1 天，最多 300.00 元），请按县培训费管理规定调整');
  });

  it('is applied at SUBMIT through the budget lines; study trips are not training fees', () => {
    const over = line('training', 2 * CAP_DAY + 1, { persons: 1, days: 2 });
    expect(codeOf(checkBudgetLines({ item: 5, requestedFen: over.amountFen, budgetLines: [over] }, rules))).toBe('training-above-person-day-cap');
    const trip = line('study-trip', 2 * CAP_DAY + 1);
    expect(checkBudgetLines({ item: 5, requestedFen: trip.amountFen, budgetLines: [trip] }, rules)).toBeNull();
  });

  it('property: the cap holds exactly at persons × days × cap, for any training row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 60 }), (persons, halfDays) => {
        const days = halfDays / 2;
        const cap = Math.floor(CAP_DAY * persons * days);
        const sessions = Math.ceil((cap + 1) / CAP_SESSION); // the session cap never binds here
        expect(checkTrainingLine(line('training', cap, { persons, days, sessions }), 0, rules)).toBeNull();
        expect(codeOf(checkTrainingLine(line('training', cap + 1, { persons, days, sessions }), 0, rules))).toBe('training-above-person-day-cap');
      }),
    );
  });
});

describe('item 11: board and the announcement of a successful listing', () => {
  it.each([
    [undefined, 'listing-board-missing'],
    [{ board: 'bse' }, 'listing-evidence-missing'],
    [{ board: 'bse', announcementRef: '北交所公告〔2024〕3号' }, 'listing-evidence-missing'],
    [{ board: 'bse', announcementDate: '2025-01-02' }, 'listing-evidence-missing'],
    [{ board: 'star', announcementRef: '上证公告〔2025〕1号', announcementDate: TODAY }, null],
    [{ board: 'chinext', announcementRef: '深证公告〔2025〕1号', announcementDate: '2025-01-16' }, 'listing-announcement-future'],
    [{ board: 'neeq', announcementRef: '股转公告〔2024〕118号', announcementDate: '2024-06-28' }, null],
  ] as const)('%j -> %s', (listing, code) => {
    expect(codeOf(checkListing({ item: 11, ...(listing ? { listing } : {}) }, TODAY, rules))).toBe(code);
  });

  it('other items need no listing', () => {
    expect(checkListing({ item: 12 }, TODAY, rules)).toBeNull();
  });

  it('flags a board outside the plan’s usual path for the beneficiary, never refuses it', () => {
    const listing = { board: 'star', announcementRef: 'x', announcementDate: '2024-06-28' } as const;
    const flagsFor = (qualifications: QualificationId[]) => reviewFlags({ item: 11, listing }, { code: 'c', qualifications }, rules).map((flag) => flag.code);
    expect(flagsFor(['national-little-giant'])).toEqual([]);
    expect(flagsFor(['provincial-specialized'])).toEqual(['listing-board-unusual']);
    expect(reviewFlags({ item: 11, listing: { ...listing, board: 'neeq' } }, { code: 'c', qualifications: ['innovative-sme'] }, rules)).toEqual([]);
  });
});

describe('item 12: the enterprise type from the beneficiary registry', () => {
  it.each([
    [undefined, 'enterprise-type-unknown'],
    [{ code: null, qualifications: null }, 'enterprise-type-unknown'],
    [{ code: '91140522MA0K000001', qualifications: null }, 'enterprise-type-unknown'],
    [{ code: '91140522MA0K000001', qualifications: [] }, 'enterprise-type-not-eligible'],
    [{ code: '91140522MA0K000001', qualifications: ['national-little-giant'] }, null],
    [{ code: '91140522MA0K000001', qualifications: ['provincial-specialized'] }, null],
    [{ code: '91140522MA0K000001', qualifications: ['high-tech'] }, null],
    [{ code: '91140522MA0K000001', qualifications: ['tech-sme'] }, null],
    [{ code: '91140522MA0K000001', qualifications: ['innovative-sme'] }, null],
  ] as const)('%j -> %s', (facts, code) => {
    expect(codeOf(checkEnterpriseType(12, facts as never, rules))).toBe(code);
  });

  it('other items do not look at the enterprise type', () => {
    expect(checkEnterpriseType(8, undefined, rules)).toBeNull();
  });
});

describe('item 13: the decision of 县政府 or 县创建领导组 at the final approval', () => {
  it.each([
    [13, undefined, 'decision-reference-missing'],
    [13, { body: 'leadership-group', number: '阳创领纪〔2025〕2号', date: TODAY }, null],
    [13, { body: 'county-government', number: '县长办公会议纪要〔2025〕1号', date: '2025-01-14' }, null],
    [13, { body: 'county-government', number: '县长办公会议纪要〔2025〕1号', date: '2025-01-16' }, 'decision-reference-future'],
    [12, undefined, null],
  ] as const)('item %i, %j -> %s', (item, reference, code) => {
    expect(codeOf(checkDecisionReference(item, reference, AT, rules))).toBe(code);
  });

  it('reviewers see that the decision is needed', () => {
    expect(reviewFlags({ item: 13 }, undefined, rules).map((flag) => flag.code)).toEqual(['decision-required']);
  });
});

describe('item 10: no cost clause, flagged for the reviewers', () => {
  it.each(ITEM_IDS.map((item) => [item, item === 10] as const))('item %i flagged: %s', (item, flagged) => {
    expect(reviewFlags({ item }, undefined, rules).some((flag) => flag.code === 'no-cost-clause')).toBe(flagged);
  });
});

describe('checkItemRulesAtSubmit and the fixture line', () => {
  it('the covering line passes every item at any amount (the seeds and fixtures rely on it)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ITEM_IDS), fc.integer({ min: 1, max: 1_000_000_000 }), (item, requestedFen) => {
        const covering = budgetLineCovering(item, requestedFen, rules);
        expect(budgetLineSchema.safeParse(covering).success).toBe(true);
        expect(checkBudgetLines({ item, requestedFen, budgetLines: [covering] }, rules)).toBeNull();
      }),
    );
  });

  it('takes the first refusal: budget, then listing, then enterprise type', () => {
    const budgetLines = [line('listing-service', 100)];
    expect(codeOf(checkItemRulesAtSubmit({ item: 11, requestedFen: 100, budgetLines: [] }, undefined, AT, rules))).toBe('budget-lines-missing');
    expect(codeOf(checkItemRulesAtSubmit({ item: 11, requestedFen: 100, budgetLines }, undefined, AT, rules))).toBe('listing-board-missing');
    const research = [line('research-cooperation', 100)];
    expect(codeOf(checkItemRulesAtSubmit({ item: 12, requestedFen: 100, budgetLines: research }, undefined, AT, rules))).toBe('enterprise-type-unknown');
  });

  it('every category has a label and every allowed category is known', () => {
    for (const allowed of Object.values(rules.allowedCategories)) for (const category of allowed) expect(BUDGET_CATEGORIES).toContain(category);
  });
});

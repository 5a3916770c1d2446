import { describe, expect, it } from 'vitest';
import { DEFAULT_LEDGER_RULES, trancheRulesSchema } from '../../config/ledger-rules.ts';
import { checkTranche, trancheFactsOf, type TrancheFacts, type TrancheRule } from '../../src/domain/tranche-rules.ts';

const PAID_AT = '2024-11-01T02:00:00Z'; // 10:00 on 1 November in Shanghai

/** A project with 1,000.00 元 committed and one tranche of 300.00 元 paid on 1 November. */
const later: TrancheFacts = {
  trancheCount: 1,
  lastInspectionOutcome: null,
  lastInspectionDate: null,
  lastProgressAt: null,
  lastDisbursementAt: PAID_AT,
  suspended: false,
  committedFen: 100_000n,
  disbursedFen: 30_000n,
  amountFen: 20_000n,
};
const first: TrancheFacts = { ...later, trancheCount: 0, lastDisbursementAt: null, disbursedFen: 0n };

const onTrackAfter = { lastInspectionOutcome: 'on-track', lastInspectionDate: '2024-11-20' } as const;
const onTrackSameDay = { lastInspectionOutcome: 'on-track', lastInspectionDate: '2024-11-01' } as const;
const onTrackBefore = { lastInspectionOutcome: 'on-track', lastInspectionDate: '2024-10-31' } as const;
const deviationAfter = { lastInspectionOutcome: 'deviation', lastInspectionDate: '2024-11-20' } as const;
const notConcluded = { lastInspectionOutcome: null, lastInspectionDate: '2024-11-20' } as const;
const reportAfter = { lastProgressAt: '2024-11-15T08:00:00Z' } as const;
const reportBefore = { lastProgressAt: '2024-11-01T01:59:59Z' } as const;

const rules = (raw: object) => trancheRulesSchema.parse(raw);
const inspection = rules({ laterTrancheRequires: 'inspection-on-track' });
const report = rules({ laterTrancheRequires: 'progress-report' });
const either = rules({ laterTrancheRequires: 'either' });
const none = rules({ laterTrancheRequires: 'none' });
const firstCap = rules({ laterTrancheRequires: 'none', firstTrancheMaxPercent: 30 });
const firstCapFraction = rules({ laterTrancheRequires: 'none', firstTrancheMaxPercent: 33.33 });

type Case = [name: string, rules: typeof either, facts: TrancheFacts, expected: TrancheRule | 'ok'];

const table: Case[] = [
  // held while suspended, whatever else holds
  ['suspended, first tranche', either, { ...first, suspended: true }, 'tranche-held-while-suspended'],
  ['suspended, later tranche with an on-track inspection', either, { ...later, ...onTrackAfter, suspended: true }, 'tranche-held-while-suspended'],
  ['suspended, rules need nothing', none, { ...later, suspended: true }, 'tranche-held-while-suspended'],
  // amounts
  ['zero amount', none, { ...later, amountFen: 0n }, 'tranche-amount-not-positive'],
  ['exactly the commitment left', none, { ...later, amountFen: 70_000n }, 'ok'],
  ['one fen above the commitment left', none, { ...later, amountFen: 70_001n }, 'tranche-exceeds-commitment'],
  ['released commitment counts', none, { ...later, releasedFen: 60_000, amountFen: 10_001 }, 'tranche-exceeds-commitment'],
  // first tranche
  ['first tranche, no cap', either, { ...first, amountFen: 100_000n }, 'ok'],
  ['first tranche at the 30% cap', firstCap, { ...first, amountFen: 30_000n }, 'ok'],
  ['first tranche one fen over the 30% cap', firstCap, { ...first, amountFen: 30_001n }, 'first-tranche-over-percent'],
  ['first tranche at 33.33%, exact in bigint', firstCapFraction, { ...first, amountFen: 33_330n }, 'ok'],
  ['first tranche over 33.33%', firstCapFraction, { ...first, amountFen: 33_331n }, 'first-tranche-over-percent'],
  ['the cap binds only the first tranche', firstCap, { ...later, amountFen: 70_000n }, 'ok'],
  ['first tranche needs no inspection', inspection, first, 'ok'],
  // later tranche: inspection concluded on-track since the last tranche
  ['inspection: on-track after the last tranche', inspection, { ...later, ...onTrackAfter }, 'ok'],
  ['inspection: on-track the same day (dated by day)', inspection, { ...later, ...onTrackSameDay }, 'ok'],
  ['inspection: on-track before the last tranche', inspection, { ...later, ...onTrackBefore }, 'later-tranche-needs-on-track-inspection'],
  ['inspection: latest found a deviation', inspection, { ...later, ...deviationAfter }, 'later-tranche-needs-on-track-inspection'],
  ['inspection: not concluded yet', inspection, { ...later, ...notConcluded }, 'later-tranche-needs-on-track-inspection'],
  ['inspection: none at all', inspection, later, 'later-tranche-needs-on-track-inspection'],
  ['inspection: a progress report is not enough', inspection, { ...later, ...reportAfter }, 'later-tranche-needs-on-track-inspection'],
  // later tranche: progress report since the last tranche
  ['report: after the last tranche', report, { ...later, ...reportAfter }, 'ok'],
  ['report: a second before the last tranche', report, { ...later, ...reportBefore }, 'later-tranche-needs-progress-report'],
  ['report: an inspection is not enough', report, { ...later, ...onTrackAfter }, 'later-tranche-needs-progress-report'],
  // later tranche: either
  ['either: inspection', either, { ...later, ...onTrackAfter }, 'ok'],
  ['either: report', either, { ...later, ...reportAfter }, 'ok'],
  ['either: both stale', either, { ...later, ...onTrackBefore, ...reportBefore }, 'later-tranche-needs-inspection-or-report'],
  ['either: deviation and no report', either, { ...later, ...deviationAfter }, 'later-tranche-needs-inspection-or-report'],
  // later tranche: none
  ['none: nothing needed', none, later, 'ok'],
];

describe('tranche rules: a decision table', () => {
  it.each(table)('%s', (_name, tranche, facts, expected) => {
    const result = checkTranche(tranche, facts);
    if (expected === 'ok') expect(result).toBeNull();
    else {
      expect(result).toMatchObject({ code: expected });
      expect(result?.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(result?.en).toMatch(/^[a-z]/);
    }
  });

  it('says which rule refused, in Chinese then English', () => {
    expect(checkTranche(inspection, later)).toEqual({
      code: 'later-tranche-needs-on-track-inspection',
      zh: '后续拨付须在上次拨付（2024-11-01）后有一次结论为“正常”的检查',
      en: 'a later tranche needs an inspection concluded on-track since the last disbursement (2024-11-01)',
    });
    expect(checkTranche(firstCap, { ...first, amountFen: 50_000n })).toMatchObject({
      zh: '首笔拨付不得超过占用额的 30%（300.00 元），本次 500.00 元',
      en: 'the first tranche may be at most 30% of the commitment (300.00 元), 500.00 元 requested',
    });
  });

  it('defaults: either an on-track inspection or a progress report; always held while suspended', () => {
    expect(DEFAULT_LEDGER_RULES.tranche).toEqual({ laterTrancheRequires: 'either', holdWhileSuspended: true });
    expect(trancheRulesSchema.safeParse({ holdWhileSuspended: false }).success).toBe(false);
    expect(trancheRulesSchema.safeParse({ firstTrancheMaxPercent: 0 }).success).toBe(false);
    expect(trancheRulesSchema.safeParse({ firstTrancheMaxPercent: 12.345 }).success).toBe(false);
    expect(trancheRulesSchema.safeParse({ laterTrancheRequires: 'always' }).success).toBe(false);
  });

  it('a later tranche without the time of the last one is a caller bug, not a pass', () => {
    expect(() => checkTranche(either, { ...later, lastDisbursementAt: null })).toThrow(TypeError);
  });

  it('builds its facts from the machine context', () => {
    const facts = trancheFactsOf(
      {
        trancheCount: 2,
        committedFen: 100_000,
        disbursedFen: 60_000,
        lastInspection: { kind: 'regular', date: '2024-12-01', outcome: 'on-track' },
        lastProgress: { at: '2024-11-30T00:00:00Z', periodEnd: '2024-11-30', values: {} },
        suspension: null,
      } as unknown as Parameters<typeof trancheFactsOf>[0],
      10_000,
      PAID_AT,
    );
    expect(facts).toEqual({
      trancheCount: 2,
      lastInspectionOutcome: 'on-track',
      lastInspectionDate: '2024-12-01',
      lastProgressAt: '2024-11-30T00:00:00Z',
      lastDisbursementAt: PAID_AT,
      suspended: false,
      committedFen: 100_000,
      disbursedFen: 60_000,
      amountFen: 10_000,
    });
    expect(checkTranche(inspection, facts)).toBeNull();
  });
});

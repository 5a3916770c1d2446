import { describe, expect, it } from 'vitest';
import { DEFAULT_LEDGER_RULES, overlapRuleSchema } from '../../config/ledger-rules.ts';
import {
  decideApprovable,
  findOverlaps,
  normalizeDocumentNumber,
  supportRecordSchema,
  type OverlapOutcome,
  type OverlapProposal,
  type OverlapReason,
  type SupportRecord,
} from '../../src/domain/overlap.ts';

const CODE = '91350100M000100Y43';
const OTHER_CODE = '91140522MA0GRT4R5A';

const proposal: OverlapProposal = {
  beneficiaryCode: CODE,
  item: 11,
  year: 2024,
  contractNumbers: ['HT-2024-001'],
  invoiceNumbers: ['FP 00012345'],
};

/** Support the same beneficiary had for the same item and year under a provincial policy. */
const sameMatter = (amountFen: number, extra: Partial<SupportRecord> = {}): SupportRecord => ({
  id: 'R1',
  policy: '晋政发〔2023〕专精特新奖励',
  level: 'provincial',
  year: 2024,
  amountFen,
  contractNumbers: [],
  invoiceNumbers: [],
  beneficiaryCode: CODE,
  item: 11,
  ...extra,
});

const topUp = overlapRuleSchema.parse({ allowTopUp: true });
const noTopUp = overlapRuleSchema.parse({ allowTopUp: false });
const REQUESTED = 50_000_000n; // 500,000.00 元

describe('就高不重复: which records overlap', () => {
  const table: [name: string, record: SupportRecord, reasons: OverlapReason[]][] = [
    ['same beneficiary, item and year', sameMatter(1), ['same-beneficiary-item-year']],
    ['different year: no overlap', sameMatter(1, { year: 2023 }), []],
    ['different item: no overlap', sameMatter(1, { item: 12 }), []],
    ['no item on the record: no overlap by matter', sameMatter(1, { item: undefined }), []],
    ['different beneficiary: no overlap', sameMatter(1, { beneficiaryCode: OTHER_CODE }), []],
    ['lower-case code is the same beneficiary', sameMatter(1, { beneficiaryCode: CODE.toLowerCase() }), ['same-beneficiary-item-year']],
    ['shared contract number, other year', sameMatter(1, { year: 2022, contractNumbers: ['HT-2024-001'] }), ['shared-contract']],
    ['shared invoice number written differently', sameMatter(1, { year: 2022, invoiceNumbers: ['ｆｐ０００１２３４５'] }), ['shared-invoice']],
    [
      'shared invoice claimed by another beneficiary',
      sameMatter(1, { beneficiaryCode: OTHER_CODE, item: 2, invoiceNumbers: ['FP00012345'] }),
      ['shared-invoice'],
    ],
    [
      'every reason at once',
      sameMatter(1, { contractNumbers: ['ht-2024-001', 'HT-X'], invoiceNumbers: ['FP00012345'] }),
      ['same-beneficiary-item-year', 'shared-contract', 'shared-invoice'],
    ],
    ['different contract and invoice numbers', sameMatter(1, { year: 2022, contractNumbers: ['HT-2024-002'], invoiceNumbers: ['FP1'] }), []],
  ];

  it.each(table)('%s', (_name, record, reasons) => {
    const overlaps = findOverlaps(proposal, [record]);
    if (reasons.length === 0) expect(overlaps).toEqual([]);
    else {
      expect(overlaps).toHaveLength(1);
      expect(overlaps[0]!.reasons).toEqual(reasons);
      expect(overlaps[0]!.record).toBe(record);
      expect(overlaps[0]!.description).toMatch(/[\u4e00-\u9fff].* \/ [a-z]/);
    }
  });

  it('names the shared numbers, normalised', () => {
    const [overlap] = findOverlaps(proposal, [sameMatter(1, { year: 2020, contractNumbers: [' ht-2024-001 '], invoiceNumbers: ['fp00012345'] })]);
    expect(overlap).toMatchObject({ sharedContractNumbers: ['HT-2024-001'], sharedInvoiceNumbers: ['FP00012345'] });
    expect(overlap!.description).toBe('合同号相同：HT-2024-001；发票号相同：FP00012345 / shared contract number HT-2024-001; shared invoice number FP00012345');
    expect(normalizeDocumentNumber('ＨＴ-2024 001')).toBe('HT-2024001');
  });
});

describe('就高不重复: the approvable amount (a decision table)', () => {
  const table: [name: string, other: number, rule: typeof topUp, outcome: OverlapOutcome, approvable: bigint | null][] = [
    ['other higher, top-up allowed', 60_000_000, topUp, 'refuse', 0n],
    ['other higher, no top-up', 60_000_000, noTopUp, 'refuse', 0n],
    ['other equal, top-up allowed', 50_000_000, topUp, 'refuse', 0n],
    ['other equal, no top-up', 50_000_000, noTopUp, 'refuse', 0n],
    ['other lower, top-up allowed: pay the difference', 20_000_000, topUp, 'top-up', 30_000_000n],
    ['other lower by one fen, top-up allowed', 49_999_999, topUp, 'top-up', 1n],
    ['other lower, no top-up: the approver chooses', 20_000_000, noTopUp, 'approver-chooses', null],
  ];

  it.each(table)('%s', (_name, other, rule, outcome, approvable) => {
    const decision = decideApprovable(REQUESTED, findOverlaps(proposal, [sameMatter(other)]), rule);
    expect(decision.outcome).toBe(outcome);
    expect(decision.approvableFen).toBe(approvable);
    expect(decision.requestedFen).toBe(REQUESTED);
    expect(decision.highestOther).toMatchObject({ amountFen: BigInt(other), recordIds: ['R1'] });
    expect(decision.rule).toEqual(rule);
    expect(decision.reason).toMatch(/^就高不重复：.* \/ highest award only: /);
    if (outcome === 'approver-chooses') {
      expect(decision.options?.map((o) => [o.choice, o.approvableFen])).toEqual([
        ['pay-in-full', REQUESTED],
        ['pay-nothing', 0n],
      ]);
    } else expect(decision.options).toBeUndefined();
  });

  it('no overlap: the requested amount, and says so', () => {
    const decision = decideApprovable(REQUESTED, findOverlaps(proposal, [sameMatter(60_000_000, { year: 2023 })]), topUp);
    expect(decision).toMatchObject({ outcome: 'no-overlap', approvableFen: REQUESTED, highestOther: null, otherAwards: [] });
    expect(decision.reason).toMatch(/^未发现其他政策.* \/ no other support/);
  });

  it('a shared invoice or contract counts like the same matter', () => {
    const byInvoice = sameMatter(60_000_000, { year: 2021, item: 3, invoiceNumbers: ['FP00012345'] });
    expect(decideApprovable(REQUESTED, findOverlaps(proposal, [byInvoice]), topUp)).toMatchObject({ outcome: 'refuse', approvableFen: 0n });
    const byContract = sameMatter(10_000_000, { year: 2021, item: undefined, contractNumbers: ['HT-2024-001'] });
    expect(decideApprovable(REQUESTED, findOverlaps(proposal, [byContract]), topUp)).toMatchObject({
      outcome: 'top-up',
      approvableFen: 40_000_000n,
    });
  });

  it('keeps the single highest award: records of one policy add up, different policies do not', () => {
    const records: SupportRecord[] = [
      sameMatter(15_000_000, { id: 'A1', policy: '市级奖励', level: 'municipal' }),
      sameMatter(15_000_000, { id: 'A2', policy: '市级奖励', level: 'municipal', year: 2023, contractNumbers: ['HT-2024-001'] }),
      sameMatter(25_000_000, { id: 'B1', policy: '县级奖励', level: 'county' }),
    ];
    const decision = decideApprovable(REQUESTED, findOverlaps(proposal, records), topUp);
    expect(decision.otherAwards.map((a) => [a.policy, a.amountFen])).toEqual([
      ['市级奖励', 30_000_000n],
      ['县级奖励', 25_000_000n],
    ]);
    expect(decision).toMatchObject({ outcome: 'top-up', approvableFen: 20_000_000n, highestOther: { recordIds: ['A1', 'A2'] } });
    expect(decision.reason).toBe(
      '就高不重复：市级政策“市级奖励”已支持 300,000.00 元，低于本次申请 500,000.00 元，只补足差额 200,000.00 元 / highest award only: the municipal policy "市级奖励" already awarded 300,000.00 元, less than the 500,000.00 元 requested, so only the difference of 200,000.00 元 may be paid',
    );
  });

  it('default rule: highest only, top-up allowed; records validate their credit code', () => {
    expect(DEFAULT_LEDGER_RULES.overlap).toEqual({ mode: 'highest-only', allowTopUp: true });
    const valid = { policy: 'P', level: 'county', year: 2024, amountFen: 100, beneficiaryCode: CODE };
    expect(supportRecordSchema.parse(valid)).toMatchObject({ contractNumbers: [], invoiceNumbers: [] });
    expect(supportRecordSchema.safeParse({ ...valid, beneficiaryCode: '91350100M000100Y44' }).success).toBe(false);
    expect(supportRecordSchema.safeParse({ ...valid, amountFen: 1.5 }).success).toBe(false);
    expect(() => decideApprovable(0n, [], topUp)).toThrow(RangeError);
  });
});

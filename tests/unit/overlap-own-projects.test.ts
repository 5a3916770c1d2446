import { describe, expect, it } from 'vitest';
import { overlapRuleSchema } from '../../config/ledger-rules.ts';
import { decideApprovable, findOverlaps, OWN_PLAN_POLICY, overlapKeysOf, supportRecordOfProject } from '../../src/domain/overlap.ts';

const CODE = '91350100M000100Y43';

describe('就高不重复 keys of this system’s own approvals', () => {
  it('collects the proposal’s and its budget lines’ contract and invoice numbers, normalised, once each', () => {
    const keys = overlapKeysOf(
      {
        periodStart: '2025-03-01',
        contractNumbers: ['ht-2025 001'],
        invoiceNumbers: ['ＦＰ０００１'],
        budgetLines: [{ contractNumber: 'HT-2025001' }, { invoiceNumber: 'fp 0002' }, {}],
      },
      ` ${CODE.toLowerCase()} `,
    );
    expect(keys).toEqual({ beneficiaryCode: CODE, year: 2025, contractNumbers: ['HT-2025001'], invoiceNumbers: ['FP0001', 'FP0002'] });
  });

  it('an earlier approval of the same code, item and year counts as this plan’s award; a top-up pays the rest', () => {
    const earlier = supportRecordOfProject({
      projectId: 'p1',
      code: 'YC-2025-08-001',
      item: 8,
      amountFen: 4_000_000,
      keys: { beneficiaryCode: CODE, year: 2025, contractNumbers: [], invoiceNumbers: [] },
    });
    const overlaps = findOverlaps({ beneficiaryCode: CODE, item: 8, year: 2025, contractNumbers: [], invoiceNumbers: [] }, [earlier]);
    expect(overlaps.map((o) => o.reasons)).toEqual([['same-beneficiary-item-year']]);
    const decision = decideApprovable(10_000_000, overlaps, overlapRuleSchema.parse({ allowTopUp: true }));
    expect(decision).toMatchObject({ outcome: 'top-up', approvableFen: 6_000_000n });
    expect(decision.highestOther).toMatchObject({ policy: OWN_PLAN_POLICY, recordIds: ['YC-2025-08-001'] });
  });

  it('two proposals without any beneficiary code are not the same beneficiary; a shared invoice still overlaps', () => {
    const noCode = supportRecordOfProject({
      projectId: 'p2',
      code: 'YC-2025-04-001',
      item: 4,
      amountFen: 1_000,
      keys: { beneficiaryCode: null, year: 2025, contractNumbers: [], invoiceNumbers: ['FP9'] },
    });
    expect(findOverlaps({ beneficiaryCode: '', item: 4, year: 2025, contractNumbers: [], invoiceNumbers: [] }, [noCode])).toEqual([]);
    expect(findOverlaps({ beneficiaryCode: '', item: 3, year: 2024, contractNumbers: [], invoiceNumbers: ['fp9'] }, [noCode]).map((o) => o.reasons)).toEqual([['shared-invoice']]);
  });
});

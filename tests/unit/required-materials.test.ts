import { describe, expect, it } from 'vitest';
import { DEFAULT_REQUIRED_MATERIALS, requiredMaterialsSchema } from '../../config/required-materials.ts';
import { checkRequiredMaterials, type AttachedMaterial, type MaterialFacts } from '../../src/domain/required-materials.ts';
import type { AttachmentKind } from '../../src/domain/vocabulary.ts';

const file = (kind: AttachmentKind, auditSeq: number): AttachedMaterial => ({ id: `${kind}-${auditSeq}`, kind, sha256: `${auditSeq}`.padStart(64, '0'), auditSeq });

const facts = (overrides: Partial<MaterialFacts>): MaterialFacts => ({
  item: 5,
  eventType: 'SUBMIT',
  attachments: [],
  previousSameEventSeq: 0,
  ...overrides,
});

type Row = { label: string; facts: Partial<MaterialFacts>; missing: string | null };

// `missing`: the refusal's params.missing (kinds per group joined by "|", groups by ","), or null when it passes.
const TABLE: Row[] = [
  { label: 'SUBMIT with nothing', facts: { eventType: 'SUBMIT' }, missing: 'proposal,budget' },
  { label: 'SUBMIT with 申报书 only', facts: { eventType: 'SUBMIT', attachments: [file('proposal', 2)] }, missing: 'budget' },
  { label: 'SUBMIT with both', facts: { eventType: 'SUBMIT', attachments: [file('proposal', 2), file('budget', 3)] }, missing: null },
  {
    label: 'SUBMIT again after a return reuses the files',
    facts: { eventType: 'SUBMIT', attachments: [file('proposal', 2), file('budget', 3)], previousSameEventSeq: 4 },
    missing: null,
  },
  { label: 'DISBURSE with nothing', facts: { eventType: 'DISBURSE' }, missing: 'contract|invoice|acceptance,voucher' },
  { label: 'DISBURSE with an invoice, no voucher', facts: { eventType: 'DISBURSE', attachments: [file('invoice', 5)] }, missing: 'voucher' },
  {
    label: 'DISBURSE with a voucher in the wrong format',
    facts: { eventType: 'DISBURSE', attachments: [file('invoice', 5)], voucher: '凭证 1' },
    missing: 'voucher-format',
  },
  { label: 'DISBURSE with an acceptance record and a voucher', facts: { eventType: 'DISBURSE', attachments: [file('acceptance', 5)], voucher: 'GKZF-2024-000123' }, missing: null },
  {
    label: 'second tranche: the first tranche\'s invoice does not count again',
    facts: { eventType: 'DISBURSE', attachments: [file('invoice', 5)], voucher: 'GKZF-2024-000124', previousSameEventSeq: 6 },
    missing: 'contract|invoice|acceptance',
  },
  {
    label: 'second tranche with a new invoice',
    facts: { eventType: 'DISBURSE', attachments: [file('invoice', 5), file('invoice', 9)], voucher: 'GKZF-2024-000124', previousSameEventSeq: 6 },
    missing: null,
  },
  {
    label: 'item 1 (procurement): an invoice without a contract',
    facts: { item: 1, eventType: 'DISBURSE', attachments: [file('invoice', 5)], voucher: 'GKZF-2024-000123' },
    missing: 'contract',
  },
  {
    label: 'item 1: the contract stays valid for the next tranche, the invoice must be new',
    facts: { item: 1, eventType: 'DISBURSE', attachments: [file('contract', 3), file('invoice', 5)], voucher: 'GKZF-2024-000124', previousSameEventSeq: 6 },
    missing: 'invoice|acceptance',
  },
  { label: 'CONCLUDE_INSPECTION on-track needs nothing', facts: { eventType: 'CONCLUDE_INSPECTION', outcome: 'on-track' }, missing: null },
  { label: 'CONCLUDE_INSPECTION deviation without evidence', facts: { eventType: 'CONCLUDE_INSPECTION', outcome: 'deviation' }, missing: 'inspection-evidence' },
  { label: 'CONCLUDE_INSPECTION serious without evidence', facts: { eventType: 'CONCLUDE_INSPECTION', outcome: 'serious' }, missing: 'inspection-evidence' },
  {
    label: 'CONCLUDE_INSPECTION deviation with evidence',
    facts: { eventType: 'CONCLUDE_INSPECTION', outcome: 'deviation', attachments: [file('inspection-evidence', 8)] },
    missing: null,
  },
  { label: 'SUBMIT_CORRECTION without material', facts: { eventType: 'SUBMIT_CORRECTION' }, missing: 'correction-material' },
  {
    label: 'SUBMIT_CORRECTION again after a rejection needs new material',
    facts: { eventType: 'SUBMIT_CORRECTION', attachments: [file('correction-material', 10)], previousSameEventSeq: 11 },
    missing: 'correction-material',
  },
  { label: 'SUBMIT_CORRECTION with material', facts: { eventType: 'SUBMIT_CORRECTION', attachments: [file('correction-material', 12)] }, missing: null },
  { label: 'another event needs nothing', facts: { eventType: 'REPORT_PROGRESS' }, missing: null },
  { label: 'a file of the wrong kind does not count', facts: { eventType: 'SUBMIT', attachments: [file('other', 2), file('budget', 3)] }, missing: 'proposal' },
];

describe('required materials (config/required-materials.ts, src/domain/required-materials.ts)', () => {
  it.each(TABLE)('$label', ({ facts: overrides, missing }) => {
    const check = checkRequiredMaterials(DEFAULT_REQUIRED_MATERIALS, facts(overrides));
    expect(check.refusal?.params?.missing ?? null).toBe(missing);
    if (check.refusal) expect(check.refusal.code).toBe('materials-missing');
  });

  it('lists what is missing in Chinese and in English', () => {
    const { refusal } = checkRequiredMaterials(DEFAULT_REQUIRED_MATERIALS, facts({ eventType: 'DISBURSE' }));
    expect(refusal!.zh).toBe('缺少所需材料：合同或发票或验收材料（须在上次同类办理之后上传）；国库支付凭证号。请先在项目页上传后再办理');
    expect(refusal!.en).toContain('contract or invoice or acceptance record');
    expect(refusal!.en).toContain('treasury payment voucher number');
  });

  it('names the files an event stands on, so their hashes enter its audit record', () => {
    const check = checkRequiredMaterials(
      DEFAULT_REQUIRED_MATERIALS,
      facts({ eventType: 'SUBMIT', attachments: [file('proposal', 2), file('budget', 3), file('other', 4)] }),
    );
    expect(check.used.map((used) => used.kind)).toEqual(['proposal', 'budget']);
  });

  it('takes the voucher pattern and per-item rules from config, and refuses a pattern that is not a regular expression', () => {
    const strict = requiredMaterialsSchema.parse({ ...DEFAULT_REQUIRED_MATERIALS, voucherPattern: '^\\d{12}$' });
    const base = facts({ eventType: 'DISBURSE', attachments: [file('invoice', 5)] });
    expect(checkRequiredMaterials(strict, { ...base, voucher: '202400000001' }).refusal).toBeNull();
    expect(checkRequiredMaterials(strict, { ...base, voucher: 'GKZF-2024-000123' }).refusal?.params?.missing).toBe('voucher-format');
    expect(requiredMaterialsSchema.safeParse({ ...DEFAULT_REQUIRED_MATERIALS, voucherPattern: '([' }).success).toBe(false);
    const none = requiredMaterialsSchema.parse({ events: {} });
    expect(checkRequiredMaterials(none, facts({ eventType: 'SUBMIT' })).refusal).toBeNull();
  });
});

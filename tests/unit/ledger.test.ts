import { describe, expect, it } from 'vitest';
import {
  applyEntry,
  balancesOf,
  checkEntry,
  checkFundAcceptsProposals,
  emptyBalances,
  fundLedgerOf,
  headroomFor,
  LedgerIntegrityError,
  ledgerEntrySchema,
  topLevelState,
  type LedgerEntry,
} from '../../src/domain/ledger.ts';

const at = '2024-10-08T02:00:00Z';
const base = { fundId: 'F1', at, actorId: 'finance-1' } as const;
const allocate = (amountFen: bigint): LedgerEntry => ({ ...base, kind: 'allocate', amountFen });
const commit = (projectId: string, item: number, amountFen: bigint): LedgerEntry => ({ ...base, kind: 'commit', projectId, item, amountFen });
const entry = (kind: LedgerEntry['kind'], projectId: string, amountFen: bigint): LedgerEntry => ({ ...base, kind, projectId, amountFen });

describe('ledger rules, by example', () => {
  it('refuses a commitment above what is available, in Chinese then English, in 元', () => {
    const balances = balancesOf([allocate(100_000n), commit('P1', 1, 88_000n)]);
    expect(checkEntry(balances, commit('P2', 2, 50_000n))).toEqual({
      ok: false,
      rule: 'insufficient-funds',
      message: '可用资金不足：基金可用 120.00 元，申请 500.00 元 / the fund has 120.00 元 available, 500.00 元 requested',
    });
    expect(checkEntry(balances, commit('P2', 2, 12_000n))).toEqual({ ok: true });
  });

  it('balances follow the documented rules; recovered money returns to available', () => {
    const balances = balancesOf([
      allocate(1_000n),
      commit('P1', 11, 600n),
      entry('disburse', 'P1', 400n),
      entry('release', 'P1', 100n),
      entry('recover', 'P1', 150n),
    ]);
    const { fund, projects, items, categories } = fundLedgerOf(balances, 'F1');
    expect(fund).toMatchObject({ allocated: 1_000n, committed: 600n, disbursed: 400n, released: 100n, recovered: 150n });
    expect(fund.outstanding).toBe(100n); // 600 - 400 - 100
    expect(fund.available).toBe(650n); // 1000 - 600 + 100 + 150
    expect(fund.held).toBe(750n); // 1000 - 400 + 150 = available + outstanding
    expect(projects.get('P1')).toMatchObject({ item: 11, category: 3, netDisbursed: 250n, used: 350n, lastDisbursedAt: at });
    expect(items.get(11)?.used).toBe(350n);
    expect(categories.get(3)?.committed).toBe(600n);
  });

  it('the fund is open, exhausted when nothing is left uncommitted, and reopens on a release', () => {
    let balances = emptyBalances();
    expect(checkFundAcceptsProposals(balances, 'F1')).toMatchObject({ ok: false, rule: 'fund-unfunded' });
    balances = applyEntry(balances, allocate(500n));
    expect(checkFundAcceptsProposals(balances, 'F1')).toEqual({ ok: true });
    balances = applyEntry(balances, commit('P1', 1, 500n));
    const refusal = checkFundAcceptsProposals(balances, 'F1');
    expect(refusal).toMatchObject({ ok: false, rule: 'fund-exhausted' });
    expect(!refusal.ok && refusal.message).toMatch(/^基金资金已全部安排.* \/ the fund is exhausted/);
    expect(checkEntry(balances, commit('P2', 2, 1n))).toMatchObject({ ok: false, rule: 'fund-exhausted' });
    balances = applyEntry(balances, entry('release', 'P1', 20n));
    expect(checkFundAcceptsProposals(balances, 'F1')).toEqual({ ok: true });
    expect(fundLedgerOf(balances, 'F1').fund.status).toBe('open');
  });

  it('disburses only in approved or executing, and never above the commitment left', () => {
    const balances = balancesOf([allocate(1_000n), commit('P1', 1, 300n)]);
    const pay = (amountFen: bigint) => entry('disburse', 'P1', amountFen);
    expect(checkEntry(balances, pay(300n), { projectState: 'approved' })).toEqual({ ok: true });
    expect(checkEntry(balances, pay(300n), { projectState: { executing: {} } })).toEqual({ ok: true });
    expect(checkEntry(balances, pay(301n), { projectState: 'executing' })).toMatchObject({ rule: 'disburse-exceeds-commitment' });
    expect(checkEntry(balances, pay(1n), { projectState: 'suspended' })).toMatchObject({ rule: 'state-forbids-disbursement' });
    expect(checkEntry(balances, pay(1n), { projectState: 'deviated-corrected.correcting' })).toMatchObject({ rule: 'state-forbids-disbursement' });
    expect(checkEntry(balances, pay(1n), { projectState: { 'deviated-corrected': 'verifying' } })).toMatchObject({
      rule: 'state-forbids-disbursement',
    });
    expect(checkEntry(balances, pay(1n))).toMatchObject({ rule: 'state-forbids-disbursement' }); // state unknown
    expect(checkEntry(balances, entry('disburse', 'P9', 1n), { projectState: 'executing' })).toMatchObject({ rule: 'no-commitment' });
  });

  it('keeps money under the item it was approved for (专款专用) and in its fund', () => {
    const balances = balancesOf([allocate(1_000n), commit('P1', 1, 300n), { ...base, fundId: 'F2', kind: 'allocate', amountFen: 50n }]);
    expect(checkEntry(balances, { ...entry('disburse', 'P1', 10n), item: 2 }, { projectState: 'executing' })).toMatchObject({
      rule: 'project-mismatch',
    });
    expect(checkEntry(balances, { ...entry('disburse', 'P1', 10n), item: 1 }, { projectState: 'executing' })).toEqual({ ok: true });
    expect(checkEntry(balances, { ...commit('P1', 1, 10n), fundId: 'F2' })).toMatchObject({ rule: 'project-mismatch' });
    expect(checkEntry(balances, { ...base, kind: 'commit', projectId: 'P2', amountFen: 10n })).toMatchObject({ rule: 'item-required' });
    expect(checkEntry(balances, commit('P2', 14, 10n))).toMatchObject({ rule: 'unknown-item' });
    expect(checkEntry(balances, { ...allocate(10n), item: 1 })).toMatchObject({ rule: 'allocate-is-fund-level' });
  });

  it('applies item and category ceilings to what an item or category uses', () => {
    const balances = balancesOf([allocate(10_000n), commit('P1', 1, 300n), commit('P2', 2, 200n), entry('release', 'P1', 100n)]);
    const ceilings = { items: { '1': 400 }, categories: { '1': 600 } };
    const ledger = fundLedgerOf(balances, 'F1');
    expect(headroomFor(ledger, { item: 1 }, ceilings)).toEqual({ availableFen: 200n, limitedBy: 'item-ceiling' });
    expect(headroomFor(ledger, { item: 3 }, ceilings)).toEqual({ availableFen: 200n, limitedBy: 'category-ceiling' });
    expect(headroomFor(ledger, { item: 9 }, ceilings)).toEqual({ availableFen: 9_600n, limitedBy: 'fund' });
    expect(checkEntry(balances, commit('P3', 1, 201n), { ceilings })).toMatchObject({ rule: 'item-ceiling' });
    expect(checkEntry(balances, commit('P3', 1, 200n), { ceilings })).toEqual({ ok: true });
    expect(checkEntry(balances, commit('P3', 4, 201n), { ceilings })).toMatchObject({ rule: 'category-ceiling' });
  });

  it('dates nothing before the fund was received (the plan is valid from then)', () => {
    const balances = balancesOf([allocate(1_000n)]);
    const early = { ...commit('P1', 1, 10n), at: '2024-09-30T15:59:59Z' }; // 23:59:59 on 30 Sep in Shanghai
    expect(checkEntry(balances, early, { receivedOn: '2024-10-01' })).toMatchObject({ rule: 'fund-not-yet-received' });
    expect(checkEntry(balances, { ...early, at: '2024-09-30T16:00:00Z' }, { receivedOn: '2024-10-01' })).toEqual({ ok: true });
  });

  it('release and recovery are bounded by the project', () => {
    const balances = balancesOf([allocate(1_000n), commit('P1', 1, 300n), entry('disburse', 'P1', 100n)]);
    expect(checkEntry(balances, entry('release', 'P1', 201n))).toMatchObject({ rule: 'release-exceeds-commitment' });
    expect(checkEntry(balances, entry('release', 'P1', 200n))).toEqual({ ok: true });
    expect(checkEntry(balances, entry('recover', 'P1', 101n))).toMatchObject({ rule: 'recover-exceeds-disbursed' });
    expect(checkEntry(balances, entry('recover', 'P1', 100n))).toEqual({ ok: true });
    expect(checkEntry(balances, entry('release', 'P1', 0n))).toMatchObject({ rule: 'amount-not-positive' });
  });

  it('parses JSON entries to bigint and throws on entries that cannot be attributed', () => {
    const parsed = ledgerEntrySchema.parse({ kind: 'commit', fundId: 'F1', projectId: 'P1', item: 3, amountFen: 12345, at, actorId: 'u' });
    expect(parsed.amountFen).toBe(12345n);
    expect(ledgerEntrySchema.safeParse({ ...parsed, amountFen: 1.5 }).success).toBe(false);
    expect(ledgerEntrySchema.safeParse({ ...parsed, amountFen: 10 ** 15 + 1 }).success).toBe(false);
    expect(() => balancesOf([entry('disburse', 'P1', 1n)])).toThrow(LedgerIntegrityError);
    expect(topLevelState('deviated-corrected.verifying')).toBe('deviated-corrected');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findItem, type CategoryId } from '../../config/plan.ts';
import {
  applyEntry,
  balancesOf,
  checkEntry,
  checkFundAcceptsProposals,
  emptyBalances,
  findInvariantViolations,
  LEDGER_ENTRY_KINDS,
  type FundCeilings,
  type LedgerBalances,
  type LedgerEntry,
  type LedgerEntryKind,
  type LedgerRule,
  type Movements,
} from '../../src/domain/ledger.ts';
import { MAX_FEN } from '../../src/domain/money.ts';

/**
 * Any random sequence of ledger entries, each appended only when `checkEntry` accepts it, keeps
 * every invariant. The oracle below is a deliberately naive model of the rules, written apart
 * from the implementation: `checkEntry` must accept exactly what the model accepts, and refuse
 * with a rule that the model also finds broken.
 */

const FUNDS = ['F1', 'F2'] as const;
const PROJECTS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'] as const;
/** The item each project is normally approved under (items 1 and 5 share category 1). */
const HOME_ITEM: Record<string, number> = { P1: 1, P2: 1, P3: 5, P4: 9, P5: 11, P6: 13 };
const HOME_FUND: Record<string, string> = { P1: 'F1', P2: 'F1', P3: 'F1', P4: 'F1', P5: 'F2', P6: 'F2' };
const RECEIVED_ON = '2024-10-01';
const BASE = Date.parse('2024-10-08T02:00:00Z');
const STATES = ['approved', 'executing', 'suspended', 'inspected', 'closed', 'deviated-corrected.correcting'] as const;
const MAX = BigInt(MAX_FEN);

// ---- the naive model -------------------------------------------------------------------------

interface ModelProject extends Movements {
  fund: string;
  item: number;
}
interface ModelFund {
  allocated: bigint;
  projects: Map<string, ModelProject>;
}
type Model = Map<string, ModelFund>;

function modelFund(model: Model, fundId: string): ModelFund {
  let fund = model.get(fundId);
  if (!fund) {
    fund = { allocated: 0n, projects: new Map() };
    model.set(fundId, fund);
  }
  return fund;
}

function sum(projects: Iterable<ModelProject>, pick: (p: ModelProject) => bigint): bigint {
  let total = 0n;
  for (const p of projects) total += pick(p);
  return total;
}

const usedOf = (p: Movements) => p.committed - p.released - p.recovered;
const outstandingOf = (p: Movements) => p.committed - p.disbursed - p.released;

function modelAvailable(model: Model, fundId: string): bigint {
  const fund = model.get(fundId);
  if (!fund) return 0n;
  return fund.allocated - sum(fund.projects.values(), usedOf);
}

function ceiling(record: Readonly<Record<string, bigint | number>> | undefined, key: number): bigint | undefined {
  const value = record?.[String(key)];
  return value === undefined ? undefined : BigInt(value);
}

/** Every rule the entry breaks in the model (empty: it must be accepted). */
function brokenRules(model: Model, entry: LedgerEntry, ceilings: FundCeilings, state: string): Set<LedgerRule> {
  const broken = new Set<LedgerRule>();
  const amount = entry.amountFen;
  if (amount <= 0n) broken.add('amount-not-positive');
  if (amount > MAX) broken.add('amount-too-large');
  if (entry.kind === 'allocate') {
    if (entry.projectId !== undefined || entry.item !== undefined) broken.add('allocate-is-fund-level');
    return broken;
  }
  if (entry.projectId === undefined) {
    broken.add('project-required');
    return broken;
  }
  const fund = modelFund(new Map(model), entry.fundId);
  const inFund = model.get(entry.fundId)?.projects.get(entry.projectId);
  for (const [fundId, other] of model) {
    if (fundId !== entry.fundId && other.projects.has(entry.projectId)) broken.add('project-mismatch');
  }
  if (inFund && entry.item !== undefined && entry.item !== inFund.item) broken.add('project-mismatch');
  const beforeReceipt = new Date(entry.at).toISOString().slice(0, 10) < RECEIVED_ON; // at is 02:00Z = 10:00 in Shanghai
  switch (entry.kind) {
    case 'commit': {
      if (entry.item === undefined) {
        broken.add('item-required');
        break;
      }
      if (beforeReceipt) broken.add('fund-not-yet-received');
      const available = modelAvailable(model, entry.fundId);
      if (fund.allocated === 0n) broken.add('fund-unfunded');
      else if (available === 0n) broken.add('fund-exhausted');
      if (amount > available) broken.add('insufficient-funds');
      const projects = [...(model.get(entry.fundId)?.projects.values() ?? [])];
      const itemCeiling = ceiling(ceilings.items, entry.item);
      const itemUsed = sum(
        projects.filter((p) => p.item === entry.item),
        usedOf,
      );
      if (itemCeiling !== undefined && itemUsed + amount > itemCeiling) broken.add('item-ceiling');
      const category = findItem(entry.item)!.category;
      const categoryCeiling = ceiling(ceilings.categories, category);
      const categoryUsed = sum(
        projects.filter((p) => findItem(p.item)!.category === category),
        usedOf,
      );
      if (categoryCeiling !== undefined && categoryUsed + amount > categoryCeiling) broken.add('category-ceiling');
      break;
    }
    case 'disburse':
      if (!inFund) {
        broken.add('no-commitment');
        break;
      }
      if (beforeReceipt) broken.add('fund-not-yet-received');
      if (state !== 'approved' && state !== 'executing') broken.add('state-forbids-disbursement');
      if (amount > outstandingOf(inFund)) broken.add('disburse-exceeds-commitment');
      break;
    case 'release':
      if (!inFund) broken.add('no-commitment');
      else if (amount > outstandingOf(inFund)) broken.add('release-exceeds-commitment');
      break;
    case 'recover':
      if (!inFund) broken.add('no-commitment');
      else if (amount > inFund.disbursed - inFund.recovered) broken.add('recover-exceeds-disbursed');
      break;
  }
  return broken;
}

function applyToModel(model: Model, entry: LedgerEntry): void {
  const fund = modelFund(model, entry.fundId);
  if (entry.kind === 'allocate') {
    fund.allocated += entry.amountFen;
    return;
  }
  const id = entry.projectId!;
  let project = fund.projects.get(id);
  if (!project) {
    project = { fund: entry.fundId, item: entry.item!, committed: 0n, disbursed: 0n, released: 0n, recovered: 0n };
    fund.projects.set(id, project);
  }
  const field = ({ commit: 'committed', disburse: 'disbursed', release: 'released', recover: 'recovered' } as const)[entry.kind];
  project[field] += entry.amountFen;
}

// ---- invariants, checked on the implementation's balances without trusting its checker ----------

function movements(m: Movements): Movements {
  return { committed: m.committed, disbursed: m.disbursed, released: m.released, recovered: m.recovered };
}

function total(records: Iterable<Movements>): Movements {
  const t = { committed: 0n, disbursed: 0n, released: 0n, recovered: 0n };
  for (const r of records) {
    t.committed += r.committed;
    t.disbursed += r.disbursed;
    t.released += r.released;
    t.recovered += r.recovered;
  }
  return t;
}

function expectInvariants(balances: LedgerBalances, model: Model, ceilings: FundCeilings): void {
  for (const [fundId, ledger] of balances.funds) {
    const { fund } = ledger;
    const modelled = model.get(fundId)!;
    // exact bigint totals, against the model summed separately
    expect(fund.allocated).toBe(modelled.allocated);
    expect(movements(fund)).toEqual(total(modelled.projects.values()));
    expect(typeof fund.available).toBe('bigint');
    // nothing negative; never committed beyond what the fund holds
    for (const value of [fund.allocated, fund.committed, fund.disbursed, fund.released, fund.recovered, fund.outstanding]) {
      expect(value >= 0n).toBe(true);
    }
    expect(fund.available >= 0n).toBe(true);
    expect(fund.available).toBe(fund.allocated - fund.committed + fund.released + fund.recovered);
    expect(fund.available + fund.outstanding).toBe(fund.allocated - fund.disbursed + fund.recovered);
    expect(fund.status).toBe(fund.allocated === 0n ? 'unfunded' : fund.available === 0n ? 'exhausted' : 'open');
    expect(checkFundAcceptsProposals(balances, fundId).ok).toBe(fund.available > 0n);
    // per project: never paid more than approved, never recovered more than paid
    for (const project of ledger.projects.values()) {
      expect(project.fundId).toBe(fundId);
      expect(movements(project)).toEqual(movements(modelled.projects.get(project.projectId)!));
      for (const value of [project.committed, project.disbursed, project.released, project.recovered]) expect(value >= 0n).toBe(true);
      expect(project.disbursed + project.released <= project.committed).toBe(true);
      expect(project.recovered <= project.disbursed).toBe(true);
      expect(project.outstanding).toBe(project.committed - project.disbursed - project.released);
    }
    // sums per project, per item and per category equal the fund's totals
    expect(total(ledger.projects.values())).toEqual(movements(fund));
    expect(total(ledger.items.values())).toEqual(movements(fund));
    expect(total(ledger.categories.values())).toEqual(movements(fund));
    for (const category of ledger.categories.values()) {
      expect(total([...ledger.items.values()].filter((i) => i.category === category.category))).toEqual(movements(category));
    }
    // ceilings hold
    for (const item of ledger.items.values()) {
      const limit = ceiling(ceilings.items, item.item);
      if (limit !== undefined) expect(item.used <= limit).toBe(true);
    }
    for (const category of ledger.categories.values()) {
      const limit = ceiling(ceilings.categories, category.category as CategoryId);
      if (limit !== undefined) expect(category.used <= limit).toBe(true);
    }
  }
  expect(findInvariantViolations(balances, () => ceilings)).toEqual([]);
}

// ---- the generator ----------------------------------------------------------------------------

type Noise = 'none' | 'other-fund' | 'other-item' | 'no-item' | 'no-project' | 'bad-amount' | 'before-receipt';

interface Command {
  kind: LedgerEntryKind;
  /** Picks the project: among those with a commitment when `preferCommitted`, else among all. */
  pick: number;
  preferCommitted: boolean;
  /** Most commands are well-formed; one in four breaks its shape in one way. */
  noise: Noise;
  /** Either an absolute amount, or a share (in percent) of the bound the rule uses, plus a nudge. */
  amount: { absolute: bigint } | { percent: number; nudge: bigint };
  state: (typeof STATES)[number];
  dayOffset: number;
}

function weighted<T>(...pairs: [T, number][]): fc.Arbitrary<T> {
  return fc.oneof(...pairs.map(([value, weight]) => ({ weight, arbitrary: fc.constant(value) })));
}

const commandArb: fc.Arbitrary<Command> = fc.record({
  kind: weighted<LedgerEntryKind>(['allocate', 2], ['commit', 3], ['disburse', 4], ['release', 2], ['recover', 3]),
  pick: fc.nat(),
  preferCommitted: weighted([true, 9], [false, 1]),
  noise: weighted<Noise>(['none', 18], ['other-fund', 1], ['other-item', 1], ['no-item', 1], ['no-project', 1], ['bad-amount', 1], ['before-receipt', 1]),
  amount: fc.oneof(
    { weight: 8, arbitrary: fc.record({ percent: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constant(100)), nudge: weighted<bigint>([0n, 8], [1n, 1], [-1n, 1]) }) },
    { weight: 2, arbitrary: fc.record({ absolute: fc.bigInt({ min: 1n, max: 100_000n }) }) },
    { weight: 1, arbitrary: fc.record({ absolute: fc.bigInt({ min: 1n, max: MAX }) }) },
  ),
  state: weighted<(typeof STATES)[number]>(['executing', 6], ['approved', 2], ['suspended', 1], ['inspected', 1], ['closed', 1], ['deviated-corrected.correcting', 1]),
  dayOffset: fc.integer({ min: 0, max: 60 }),
});

const ceilingsArb: fc.Arbitrary<FundCeilings> = fc.record(
  {
    items: fc.record({ '1': fc.integer({ min: 0, max: 5_000_000 }), '9': fc.integer({ min: 0, max: 2_000_000 }) }, { requiredKeys: [] }),
    categories: fc.record({ '1': fc.integer({ min: 0, max: 8_000_000 }), '3': fc.integer({ min: 0, max: MAX_FEN }) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

/** The bound a rule uses for this command in the current model, to aim amounts at the edges. */
function boundFor(model: Model, entry: Omit<LedgerEntry, 'amountFen'>): bigint {
  const project = entry.projectId === undefined ? undefined : model.get(entry.fundId)?.projects.get(entry.projectId);
  switch (entry.kind) {
    case 'allocate':
      return 10_000_000n;
    case 'commit':
      return modelAvailable(model, entry.fundId);
    case 'disburse':
    case 'release':
      return project ? outstandingOf(project) : 1000n;
    case 'recover':
      return project ? project.disbursed - project.recovered : 1000n;
  }
}

function entryFor(model: Model, command: Command, index: number): { entry: LedgerEntry; state: string } {
  const committed = [...model.values()].flatMap((fund) => [...fund.projects.keys()]);
  const project =
    command.kind !== 'commit' && command.preferCommitted && committed.length > 0
      ? committed[command.pick % committed.length]!
      : PROJECTS[command.pick % PROJECTS.length]!;
  const { noise } = command;
  const home = HOME_FUND[project]!;
  const fundId = noise === 'other-fund' ? FUNDS.find((f) => f !== home)! : home;
  const item = noise === 'no-item' ? undefined : noise === 'other-item' ? 3 : HOME_ITEM[project]!;
  const at = new Date(BASE + (noise === 'before-receipt' ? -10 : command.dayOffset) * 86_400_000 + index * 1000).toISOString();
  const shape: Omit<LedgerEntry, 'amountFen'> =
    command.kind === 'allocate'
      ? // allocations are fund-level; now and then one wrongly names a project or an item
        {
          kind: 'allocate',
          fundId: FUNDS[command.pick % FUNDS.length]!,
          at,
          actorId: 'finance-1',
          ...(noise === 'other-item' ? { item: 3 } : noise === 'other-fund' ? { projectId: project } : {}),
        }
      : {
          kind: command.kind,
          fundId,
          ...(noise === 'no-project' ? {} : { projectId: project }),
          ...(item === undefined ? {} : { item }),
          at,
          actorId: 'finance-1',
          eventRef: `evt-${index}`,
        };
  let amountFen: bigint;
  if (noise === 'bad-amount') amountFen = [0n, -5n, MAX + 1n][command.pick % 3]!;
  else if ('absolute' in command.amount) amountFen = command.amount.absolute;
  else {
    const bound = boundFor(model, shape);
    const share = (bound * BigInt(command.amount.percent) + 99n) / 100n;
    amountFen = (share > 0n ? share : 1n) + command.amount.nudge;
  }
  return { entry: { ...shape, amountFen }, state: command.state };
}

// ---- the properties ---------------------------------------------------------------------------

describe('ledger: any sequence of checked entries keeps every invariant', () => {
  it('accepts exactly what the rules allow, and the balances stay consistent and exact', () => {
    const acceptedKinds = new Set<LedgerEntryKind>();
    const refusedBy = new Set<LedgerRule>();
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 1, maxLength: 60, size: 'max' }), ceilingsArb, (commands, ceilings) => {
        const model: Model = new Map();
        const accepted: LedgerEntry[] = [];
        let incremental = emptyBalances();
        commands.forEach((command, index) => {
          const { entry, state } = entryFor(model, command, index);
          const check = checkEntry(incremental, entry, { ceilings, receivedOn: RECEIVED_ON, projectState: state });
          const broken = brokenRules(model, entry, ceilings, state);
          if (check.ok) {
            expect([...broken]).toEqual([]);
            const before = incremental;
            const snapshot = balancesOf(accepted);
            incremental = applyEntry(incremental, entry);
            expect(before).toEqual(snapshot); // applyEntry leaves its input alone
            accepted.push(entry);
            applyToModel(model, entry);
            acceptedKinds.add(entry.kind);
            expectInvariants(incremental, model, ceilings);
          } else {
            const shown = JSON.stringify(entry, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
            expect(broken.has(check.rule), `${check.rule} refused ${shown}; the model found ${[...broken].join(', ') || 'nothing'} broken`).toBe(true);
            expect(check.message).toMatch(/ \/ /); // Chinese, then English
            refusedBy.add(check.rule);
          }
        });
        const folded = balancesOf(accepted);
        expect(folded).toEqual(incremental);
        expectInvariants(folded, model, ceilings);
      }),
      { numRuns: 200 },
    );
    // Not vacuous: the sequences did reach every kind and (nearly) every refusal.
    expect([...acceptedKinds].sort()).toEqual([...LEDGER_ENTRY_KINDS].sort());
    const notGenerated: LedgerRule[] = ['invalid-time', 'unknown-item'];
    const allRules: LedgerRule[] = [
      'amount-not-positive', 'amount-too-large', 'allocate-is-fund-level', 'project-required', 'item-required',
      'project-mismatch', 'fund-not-yet-received', 'fund-unfunded', 'fund-exhausted', 'insufficient-funds',
      'item-ceiling', 'category-ceiling', 'no-commitment', 'state-forbids-disbursement',
      'disburse-exceeds-commitment', 'release-exceeds-commitment', 'recover-exceeds-disbursed',
    ];
    expect(allRules.filter((rule) => !refusedBy.has(rule) && !notGenerated.includes(rule))).toEqual([]);
  });

  it('sums beyond 2^53 fen exactly', () => {
    const at = '2024-10-08T02:00:00Z';
    const entries: LedgerEntry[] = [];
    for (let i = 0; i < 12; i++) entries.push({ kind: 'allocate', fundId: 'F1', amountFen: MAX, at, actorId: 'a' });
    entries.push({ kind: 'allocate', fundId: 'F1', amountFen: 7n, at, actorId: 'a' });
    let balances = balancesOf(entries);
    const allocated = balances.funds.get('F1')!.fund.allocated;
    expect(allocated).toBe(12_000_000_000_000_007n);
    expect(allocated > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(BigInt(Number(allocated))).not.toBe(allocated); // a float total would already be off
    // commit all of it in pieces no larger than MAX_FEN: the fund ends exactly exhausted
    let left = allocated;
    let n = 0;
    while (left > 0n) {
      const amount = left > MAX ? MAX : left;
      const entry: LedgerEntry = { kind: 'commit', fundId: 'F1', projectId: `P${n++}`, item: 1 + (n % 13), amountFen: amount, at, actorId: 'a' };
      expect(checkEntry(balances, entry)).toEqual({ ok: true });
      balances = applyEntry(balances, entry);
      left -= amount;
    }
    const fund = balances.funds.get('F1')!.fund;
    expect(fund.available).toBe(0n);
    expect(fund.committed).toBe(allocated);
    expect(fund.status).toBe('exhausted');
    expect(checkEntry(balances, { kind: 'commit', fundId: 'F1', projectId: 'X', item: 2, amountFen: 1n, at, actorId: 'a' })).toMatchObject({
      ok: false,
      rule: 'fund-exhausted',
    });
    expect(findInvariantViolations(balances)).toEqual([]);
  });

  it('the invariant checker is not vacuous: unchecked overdrafts are reported', () => {
    const at = '2024-10-08T02:00:00Z';
    const overdrawn = balancesOf([
      { kind: 'allocate', fundId: 'F1', amountFen: 100n, at, actorId: 'a' },
      { kind: 'commit', fundId: 'F1', projectId: 'P1', item: 1, amountFen: 150n, at, actorId: 'a' },
      { kind: 'disburse', fundId: 'F1', projectId: 'P1', amountFen: 160n, at, actorId: 'a' },
      { kind: 'commit', fundId: 'F1', projectId: 'P2', item: 2, amountFen: 10n, at, actorId: 'a' },
      { kind: 'disburse', fundId: 'F1', projectId: 'P2', amountFen: 10n, at, actorId: 'a' },
      { kind: 'recover', fundId: 'F1', projectId: 'P2', amountFen: 20n, at, actorId: 'a' },
    ]);
    const problems = findInvariantViolations(overdrawn, () => ({ items: { '1': 120 } }));
    expect(problems.join('\n')).toMatch(/available is negative/);
    expect(problems.join('\n')).toMatch(/exceed committed/);
    expect(problems.join('\n')).toMatch(/recovered 20 exceeds disbursed 10/);
    expect(problems.join('\n')).toMatch(/above its ceiling/);
    const split = balancesOf([
      { kind: 'commit', fundId: 'F1', projectId: 'P1', item: 1, amountFen: 1n, at, actorId: 'a' },
      { kind: 'commit', fundId: 'F2', projectId: 'P1', item: 1, amountFen: 1n, at, actorId: 'a' },
    ]);
    expect(findInvariantViolations(split)).toContain('project P1 has entries in fund F1 and in fund F2');
  });
});

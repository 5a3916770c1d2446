import { z } from 'zod';
import { findItem, ITEM_IDS, type CategoryId } from '../../config/plan.ts';
import { businessDateOf } from './business-date.ts';
import { formatYuan, MAX_FEN, positiveFenSchema } from './money.ts';

/**
 * The fund ledger as a pure functional core (issue 3). No I/O, no clock: every entry carries its
 * own `at`, and the caller passes in whatever state a rule needs.
 *
 * Money is integer fen held as `bigint` everywhere in this module (entries, balances, ceilings
 * after lookup). JSON carries fen as integers (see money.ts); `ledgerEntrySchema` turns them into
 * bigint, and pg returns BIGINT columns as strings that `BigInt()` converts exactly.
 *
 * The money rules, per fund (each project belongs to one fund and one plan item):
 *   outstanding (commitment left)  = committed - disbursed - released
 *   net disbursed                  = disbursed - recovered
 *   used                           = committed - released - recovered = outstanding + net disbursed
 *   available                      = allocated - used = allocated - committed + released + recovered
 *   held (money the fund holds)    = allocated - disbursed + recovered = available + outstanding
 *
 * Recovered money returns to `available`. Why: the plan's fund is earmarked (专款专用) and valid
 * "until the money is used up"; money clawed back after a stop or an audit finding is back in the
 * county finance bureau's account for this fund and may be committed again to another approved
 * project. If a recovery ever has to be remitted upwards instead, that is a new outflow kind
 * (e.g. `remit`), not a change to this rule.
 *
 * The ledger keeps, and `checkEntry` enforces, these invariants:
 *   - every amount is > 0 and every movement total is >= 0;
 *   - available >= 0 (a fund is never committed beyond what it holds);
 *   - per project: disbursed + released <= committed (never paid more than approved) and
 *     recovered <= disbursed;
 *   - per item and per category: used <= the fund's ceiling when one is configured;
 *   - the sums over projects, over items and over categories equal the fund's totals.
 * `findInvariantViolations` checks them all on any balances, e.g. after a benchmark or daily.
 */

export const LEDGER_ENTRY_KINDS = ['allocate', 'commit', 'disburse', 'release', 'recover'] as const;
export type LedgerEntryKind = (typeof LEDGER_ENTRY_KINDS)[number];

/** One append-only ledger row. */
export interface LedgerEntry {
  /**
   * allocate: money received by the fund (fund level: no project, no item);
   * commit: earmarks money for a project at final approval (names the project and its item);
   * disburse: pays a tranche out of the project's commitment;
   * release: returns undisbursed commitment to the fund (close, stop, withdraw);
   * recover: money clawed back from the project after it was disbursed.
   */
  kind: LedgerEntryKind;
  fundId: string;
  /** Required for every kind but allocate. */
  projectId?: string;
  /** Plan item 1-13. Required on commit; optional on later entries, where it must match the project's. */
  item?: number;
  /** Integer fen, > 0 and <= MAX_FEN. */
  amountFen: bigint;
  /** ISO-8601 instant of the command that wrote the entry (passed in; never read from a clock here). */
  at: string;
  actorId: string;
  /** The audit event or project event that caused the entry. */
  eventRef?: string;
}

const itemIdSchema = z
  .int('must be an integer item number 1-13')
  .min(ITEM_IDS[0]!, 'unknown item')
  .max(ITEM_IDS.at(-1)!, 'unknown item');

/** JSON shape of an entry (amountFen an integer number of fen), parsed to a `LedgerEntry`. */
export const ledgerEntrySchema = z.object({
  kind: z.enum(LEDGER_ENTRY_KINDS),
  fundId: z.string().min(1).max(100),
  projectId: z.string().min(1).max(100).optional(),
  item: itemIdSchema.optional(),
  amountFen: positiveFenSchema.transform((fen) => BigInt(fen)),
  at: z.iso.datetime({ offset: true }),
  actorId: z.string().min(1).max(100),
  eventRef: z.string().max(200).optional(),
});
const entrySchemaMatchesType: z.output<typeof ledgerEntrySchema> extends LedgerEntry ? true : never = true;
void entrySchemaMatchesType;

/** Optional per-fund ceilings, in fen, keyed by category id ("1"-"4") and item id ("1"-"13"). */
export interface FundCeilings {
  categories?: Readonly<Record<string, bigint | number>>;
  items?: Readonly<Record<string, bigint | number>>;
}

export const fundCeilingsSchema = z.object({
  categories: z.record(z.string().regex(/^[1-4]$/, 'category must be 1-4'), z.int().min(0).max(MAX_FEN)).optional(),
  items: z.record(z.string().regex(/^(?:[1-9]|1[0-3])$/, 'item must be 1-13'), z.int().min(0).max(MAX_FEN)).optional(),
});

// ---------------------------------------------------------------------------------------------
// Balances

export interface Movements {
  committed: bigint;
  disbursed: bigint;
  released: bigint;
  recovered: bigint;
}

/** Movements plus what follows from them; the shape shared by fund, category, item and project. */
export interface ShareBalance extends Movements {
  /** committed - disbursed - released: the commitment left to disburse or release. */
  outstanding: bigint;
  /** disbursed - recovered: what the beneficiaries keep. */
  netDisbursed: bigint;
  /** committed - released - recovered: what this share takes out of the fund. */
  used: bigint;
}

export interface CategoryBalance extends ShareBalance {
  category: CategoryId;
}

export interface ItemBalance extends ShareBalance {
  item: number;
  category: CategoryId;
}

export interface ProjectBalance extends ShareBalance {
  projectId: string;
  fundId: string;
  item: number;
  category: CategoryId;
  /** `at` of the latest disburse entry, or null: what the tranche rules call the last disbursement. */
  lastDisbursedAt: string | null;
}

/** open: money available; exhausted: nothing left uncommitted; unfunded: nothing allocated yet. */
export type FundStatus = 'open' | 'exhausted' | 'unfunded';

export interface FundBalance extends ShareBalance {
  fundId: string;
  allocated: bigint;
  /** allocated - used: what may still be committed. */
  available: bigint;
  /** allocated - disbursed + recovered = available + outstanding: the money the fund holds. */
  held: bigint;
  status: FundStatus;
}

export interface FundLedger {
  fund: FundBalance;
  categories: ReadonlyMap<CategoryId, CategoryBalance>;
  items: ReadonlyMap<number, ItemBalance>;
  projects: ReadonlyMap<string, ProjectBalance>;
}

/**
 * Balances of every fund the entries mention. `checkEntry` only reads the entry's fund (its
 * fund totals, the entry's item and category, the entry's project), so a caller that loads one
 * fund's aggregates from the database may build a `LedgerBalances` holding just that fund.
 */
export interface LedgerBalances {
  funds: ReadonlyMap<string, FundLedger>;
}

/** An entry that cannot be attributed at all (a corrupt ledger, not a refusal). */
export class LedgerIntegrityError extends Error {
  override name = 'LedgerIntegrityError';
  constructor(
    message: string,
    readonly entry: LedgerEntry,
  ) {
    super(message);
  }
}

const ZERO_MOVEMENTS: Movements = { committed: 0n, disbursed: 0n, released: 0n, recovered: 0n };

function derive(m: Movements): Pick<ShareBalance, 'outstanding' | 'netDisbursed' | 'used'> {
  return {
    outstanding: m.committed - m.disbursed - m.released,
    netDisbursed: m.disbursed - m.recovered,
    used: m.committed - m.released - m.recovered,
  };
}

function movementsOf(b: Movements): Movements {
  return { committed: b.committed, disbursed: b.disbursed, released: b.released, recovered: b.recovered };
}

const MOVEMENT_FIELD = {
  commit: 'committed',
  disburse: 'disbursed',
  release: 'released',
  recover: 'recovered',
} as const satisfies Record<Exclude<LedgerEntryKind, 'allocate'>, keyof Movements>;

function withMovement<T extends ShareBalance>(balance: T, kind: Exclude<LedgerEntryKind, 'allocate'>, amount: bigint): T {
  const m = movementsOf(balance);
  m[MOVEMENT_FIELD[kind]] += amount;
  return { ...balance, ...m, ...derive(m) };
}

function makeFundBalance(fundId: string, allocated: bigint, m: Movements): FundBalance {
  const derived = derive(m);
  const available = allocated - derived.used;
  const status: FundStatus = allocated === 0n ? 'unfunded' : available > 0n ? 'open' : 'exhausted';
  return { fundId, allocated, ...m, ...derived, available, held: allocated - m.disbursed + m.recovered, status };
}

/** The balances of a fund with no entries. */
export function emptyFundLedger(fundId: string): FundLedger {
  return { fund: makeFundBalance(fundId, 0n, ZERO_MOVEMENTS), categories: new Map(), items: new Map(), projects: new Map() };
}

export function emptyBalances(): LedgerBalances {
  return { funds: new Map() };
}

/** The fund's balances, or those of an empty fund when no entry names it. */
export function fundLedgerOf(balances: LedgerBalances, fundId: string): FundLedger {
  return balances.funds.get(fundId) ?? emptyFundLedger(fundId);
}

interface MutableFundLedger {
  fund: FundBalance;
  categories: Map<CategoryId, CategoryBalance>;
  items: Map<number, ItemBalance>;
  projects: Map<string, ProjectBalance>;
}

function laterInstant(a: string | null, b: string): string {
  return a === null || Date.parse(b) >= Date.parse(a) ? b : a;
}

/** Adds one entry to a mutable fund ledger (records are replaced, never mutated). */
function addEntry(ledger: MutableFundLedger, entry: LedgerEntry): void {
  const amount = entry.amountFen;
  const { fund } = ledger;
  if (entry.kind === 'allocate') {
    if (entry.projectId !== undefined || entry.item !== undefined) {
      throw new LedgerIntegrityError('an allocate entry names a project or an item', entry);
    }
    ledger.fund = makeFundBalance(fund.fundId, fund.allocated + amount, movementsOf(fund));
    return;
  }
  if (entry.projectId === undefined) throw new LedgerIntegrityError(`a ${entry.kind} entry names no project`, entry);
  const existing = ledger.projects.get(entry.projectId);
  const itemId = existing?.item ?? entry.item;
  if (itemId === undefined) {
    throw new LedgerIntegrityError(`a ${entry.kind} entry names no item and its project has no commitment`, entry);
  }
  const item = findItem(itemId);
  if (!item) throw new LedgerIntegrityError(`item ${itemId} is not in the plan`, entry);
  if (entry.item !== undefined && entry.item !== itemId) {
    throw new LedgerIntegrityError(`project ${entry.projectId} is under item ${itemId}, the entry names item ${entry.item}`, entry);
  }
  const project: ProjectBalance = existing ?? {
    projectId: entry.projectId,
    fundId: fund.fundId,
    item: item.id,
    category: item.category,
    ...ZERO_MOVEMENTS,
    ...derive(ZERO_MOVEMENTS),
    lastDisbursedAt: null,
  };
  const updated = withMovement(project, entry.kind, amount);
  if (entry.kind === 'disburse') updated.lastDisbursedAt = laterInstant(project.lastDisbursedAt, entry.at);
  ledger.projects.set(entry.projectId, updated);

  const itemBalance: ItemBalance = ledger.items.get(item.id) ?? {
    item: item.id,
    category: item.category,
    ...ZERO_MOVEMENTS,
    ...derive(ZERO_MOVEMENTS),
  };
  ledger.items.set(item.id, withMovement(itemBalance, entry.kind, amount));

  const categoryBalance: CategoryBalance = ledger.categories.get(item.category) ?? {
    category: item.category,
    ...ZERO_MOVEMENTS,
    ...derive(ZERO_MOVEMENTS),
  };
  ledger.categories.set(item.category, withMovement(categoryBalance, entry.kind, amount));

  const m = movementsOf(fund);
  m[MOVEMENT_FIELD[entry.kind]] += amount;
  ledger.fund = makeFundBalance(fund.fundId, fund.allocated, m);
}

function thaw(ledger: FundLedger): MutableFundLedger {
  return {
    fund: ledger.fund,
    categories: new Map(ledger.categories),
    items: new Map(ledger.items),
    projects: new Map(ledger.projects),
  };
}

/**
 * Folds entries into balances per fund, category, item and project. It sums what it is given:
 * entries are assumed to have passed `checkEntry`; an entry that cannot be attributed (no project,
 * no item, an item outside the plan, an item other than its project's) throws
 * `LedgerIntegrityError`. An overdraft in unchecked input is summed as-is, so that
 * `findInvariantViolations` can report it.
 */
export function balancesOf(entries: Iterable<LedgerEntry>): LedgerBalances {
  const funds = new Map<string, MutableFundLedger>();
  for (const entry of entries) {
    let ledger = funds.get(entry.fundId);
    if (!ledger) {
      ledger = thaw(emptyFundLedger(entry.fundId));
      funds.set(entry.fundId, ledger);
    }
    addEntry(ledger, entry);
  }
  return { funds };
}

/** The balances after one more entry; `balances` itself is left unchanged. Same contract as `balancesOf`. */
export function applyEntry(balances: LedgerBalances, entry: LedgerEntry): LedgerBalances {
  const ledger = thaw(fundLedgerOf(balances, entry.fundId));
  addEntry(ledger, entry);
  const funds = new Map(balances.funds);
  funds.set(entry.fundId, ledger);
  return { funds };
}

// ---------------------------------------------------------------------------------------------
// Checks

export type LedgerRule =
  | 'amount-not-positive'
  | 'amount-too-large'
  | 'invalid-time'
  | 'allocate-is-fund-level'
  | 'project-required'
  | 'item-required'
  | 'unknown-item'
  | 'project-mismatch'
  | 'fund-not-yet-received'
  | 'fund-unfunded'
  | 'fund-exhausted'
  | 'insufficient-funds'
  | 'item-ceiling'
  | 'category-ceiling'
  | 'no-commitment'
  | 'state-forbids-disbursement'
  | 'disburse-exceeds-commitment'
  | 'release-exceeds-commitment'
  | 'recover-exceeds-disbursed';

/** An expected refusal is a value naming the rule; the message is Chinese first, then English. */
export type Check<R extends string> = { ok: true } | { ok: false; rule: R; message: string };

export type LedgerCheck = Check<LedgerRule>;

function refuse<R extends string>(rule: R, zh: string, en: string): { ok: false; rule: R; message: string } {
  return { ok: false, rule, message: `${zh} / ${en}` };
}

const OK = { ok: true } as const;

/** The project states in which money may be disbursed (LIFECYCLE.md: approved, executing). */
export const DISBURSABLE_STATES: readonly string[] = ['approved', 'executing'];

/** A machine state value: 'executing', 'deviated-corrected.correcting' or XState's { a: 'b' }. */
export type ProjectStateValue = string | Readonly<Record<string, unknown>>;

export function topLevelState(state: ProjectStateValue): string {
  return typeof state === 'string' ? (state.split('.')[0] ?? '') : (Object.keys(state)[0] ?? '');
}

/** What `checkEntry` needs besides the balances; the caller loads it before deciding. */
export interface EntryContext {
  /** The fund's ceilings per category and per item (commit). */
  ceilings?: FundCeilings;
  /**
   * The date (YYYY-MM-DD) the county finance bureau received the fund's money: the plan is valid
   * from then, so no commit or disbursement is dated before it (Asia/Shanghai business date).
   */
  receivedOn?: string | null;
  /** The project's lifecycle state (disburse). Missing means unknown, and a disbursement is refused. */
  projectState?: ProjectStateValue;
}

function ceilingOf(record: Readonly<Record<string, bigint | number>> | undefined, key: number): bigint | undefined {
  const value = record?.[String(key)];
  return value === undefined ? undefined : BigInt(value);
}

export interface Headroom {
  /** What may still be committed under this item (or category). Never negative. */
  availableFen: bigint;
  /** Which limit binds: the fund's available money or a ceiling. */
  limitedBy: 'fund' | 'item-ceiling' | 'category-ceiling';
}

/**
 * What may still be committed to a plan item, or to a category: the least of the fund's
 * available money and the remaining room under the item's and the category's ceilings.
 * Items and categories have no allocation of their own; allocations are fund-level.
 */
export function headroomFor(ledger: FundLedger, scope: { item: number } | { category: CategoryId }, ceilings?: FundCeilings): Headroom {
  let best: Headroom = { availableFen: ledger.fund.available, limitedBy: 'fund' };
  const consider = (ceiling: bigint | undefined, used: bigint, limitedBy: Headroom['limitedBy']) => {
    if (ceiling === undefined) return;
    const room = ceiling - used;
    if (room < best.availableFen) best = { availableFen: room, limitedBy };
  };
  const category = 'item' in scope ? findItem(scope.item)?.category : scope.category;
  if ('item' in scope) consider(ceilingOf(ceilings?.items, scope.item), ledger.items.get(scope.item)?.used ?? 0n, 'item-ceiling');
  if (category !== undefined) {
    consider(ceilingOf(ceilings?.categories, category), ledger.categories.get(category)?.used ?? 0n, 'category-ceiling');
  }
  return best.availableFen < 0n ? { ...best, availableFen: 0n } : best;
}

function yuan(fen: bigint): string {
  return `${formatYuan(fen)} 元`;
}

function checkFundValid(entry: LedgerEntry, receivedOn: string | null | undefined): LedgerCheck {
  if (!receivedOn) return OK;
  const day = businessDateOf(new Date(entry.at));
  if (day >= receivedOn) return OK;
  return refuse(
    'fund-not-yet-received',
    `资金尚未到位：县财政局于 ${receivedOn} 收到资金，方案自该日起有效，本笔日期为 ${day}`,
    `the fund is not valid yet: the county finance bureau received the money on ${receivedOn}, this entry is dated ${day}`,
  );
}

function findProjectElsewhere(balances: LedgerBalances, fundId: string, projectId: string): ProjectBalance | undefined {
  for (const [otherFundId, ledger] of balances.funds) {
    if (otherFundId === fundId) continue;
    const project = ledger.projects.get(projectId);
    if (project) return project;
  }
  return undefined;
}

/**
 * Decides whether one entry may be appended. Returns `{ ok: true }` or the first rule it breaks.
 * Order: amount and time, shape (project, item), then the money rules of its kind.
 *   commit:   names project and item; dated on or after `receivedOn`; amount <= the headroom of
 *             the fund and of the item's and category's ceilings (`headroomFor`).
 *   disburse: a commitment exists; dated on or after `receivedOn`; the project state is one of
 *             DISBURSABLE_STATES; amount <= outstanding commitment. Tranche rules are a separate
 *             guard (`checkTranche`) the caller runs as well.
 *   release:  amount <= outstanding commitment.
 *   recover:  amount <= disbursed - recovered.
 * A project's later entries must name its fund and (when given) its item.
 */
export function checkEntry(balances: LedgerBalances, entry: LedgerEntry, context: EntryContext = {}): LedgerCheck {
  const amount = entry.amountFen;
  if (typeof amount !== 'bigint') throw new TypeError('LedgerEntry.amountFen must be a bigint');
  if (amount <= 0n) {
    return refuse('amount-not-positive', `金额必须大于 0，本笔为 ${yuan(amount)}`, `the amount must be more than 0, got ${yuan(amount)}`);
  }
  if (amount > BigInt(MAX_FEN)) {
    return refuse('amount-too-large', `金额超过上限 ${yuan(BigInt(MAX_FEN))}`, `the amount exceeds the limit of ${yuan(BigInt(MAX_FEN))}`);
  }
  if (Number.isNaN(Date.parse(entry.at))) {
    return refuse('invalid-time', `记账时间无效：${entry.at}`, `the entry time is not a valid instant: ${entry.at}`);
  }
  if (entry.item !== undefined && !findItem(entry.item)) {
    return refuse('unknown-item', `方案中没有第 ${entry.item} 项`, `the plan has no item ${entry.item} (items 1-13)`);
  }

  const ledger = fundLedgerOf(balances, entry.fundId);
  const { fund } = ledger;

  if (entry.kind === 'allocate') {
    if (entry.projectId !== undefined || entry.item !== undefined) {
      return refuse('allocate-is-fund-level', '资金下达记在基金层面，不指定项目或支持事项', 'an allocation is fund-level: it names no project and no item');
    }
    return OK;
  }

  if (entry.projectId === undefined) {
    return refuse('project-required', `${KIND_ZH[entry.kind]}必须指明项目`, `a ${entry.kind} entry must name its project`);
  }
  const elsewhere = findProjectElsewhere(balances, entry.fundId, entry.projectId);
  if (elsewhere) {
    return refuse(
      'project-mismatch',
      `项目 ${entry.projectId} 由基金 ${elsewhere.fundId} 承担，不能记入基金 ${entry.fundId}`,
      `project ${entry.projectId} is funded by fund ${elsewhere.fundId}, not ${entry.fundId}`,
    );
  }
  const project = ledger.projects.get(entry.projectId);
  if (project && entry.item !== undefined && entry.item !== project.item) {
    return refuse(
      'project-mismatch',
      `专款专用：项目 ${entry.projectId} 批准在第 ${project.item} 项，不能记入第 ${entry.item} 项`,
      `earmarked: project ${entry.projectId} was approved under item ${project.item}, not item ${entry.item}`,
    );
  }

  switch (entry.kind) {
    case 'commit': {
      if (entry.item === undefined) {
        return refuse('item-required', '资金占用必须指明支持事项', 'a commitment must name the plan item it is approved under');
      }
      const valid = checkFundValid(entry, context.receivedOn);
      if (!valid.ok) return valid;
      if (fund.status === 'unfunded') {
        return refuse('fund-unfunded', `基金 ${fund.fundId} 尚无下达资金`, `fund ${fund.fundId} has no money allocated yet`);
      }
      if (fund.status === 'exhausted') {
        return refuse(
          'fund-exhausted',
          `基金资金已全部安排：下达 ${yuan(fund.allocated)}，可用 ${yuan(0n)}，申请 ${yuan(amount)}`,
          `the fund is exhausted: ${yuan(fund.allocated)} allocated, ${yuan(0n)} available, ${yuan(amount)} requested`,
        );
      }
      if (amount > fund.available) {
        return refuse(
          'insufficient-funds',
          `可用资金不足：基金可用 ${yuan(fund.available)}，申请 ${yuan(amount)}`,
          `the fund has ${yuan(fund.available)} available, ${yuan(amount)} requested`,
        );
      }
      const room = headroomFor(ledger, { item: entry.item }, context.ceilings);
      if (amount > room.availableFen && room.limitedBy === 'item-ceiling') {
        return refuse(
          'item-ceiling',
          `超过第 ${entry.item} 项限额：该项尚可安排 ${yuan(room.availableFen)}，申请 ${yuan(amount)}`,
          `over the ceiling of item ${entry.item}: ${yuan(room.availableFen)} left under it, ${yuan(amount)} requested`,
        );
      }
      if (amount > room.availableFen) {
        const category = findItem(entry.item)!.category;
        return refuse(
          'category-ceiling',
          `超过第${CATEGORY_NUMERALS[category]}类限额：该类尚可安排 ${yuan(room.availableFen)}，申请 ${yuan(amount)}`,
          `over the ceiling of category ${category}: ${yuan(room.availableFen)} left under it, ${yuan(amount)} requested`,
        );
      }
      return OK;
    }
    case 'disburse': {
      if (!project) return noCommitment(entry);
      const valid = checkFundValid(entry, context.receivedOn);
      if (!valid.ok) return valid;
      const state = context.projectState === undefined ? undefined : topLevelState(context.projectState);
      if (state === undefined || !DISBURSABLE_STATES.includes(state)) {
        return refuse(
          'state-forbids-disbursement',
          `项目当前状态（${state ?? '未知'}）不允许拨付，仅在已批准或执行中时可拨付`,
          `the project's state (${state ?? 'unknown'}) does not allow a disbursement; only approved or executing does`,
        );
      }
      if (amount > project.outstanding) {
        return refuse(
          'disburse-exceeds-commitment',
          `拨付超过剩余占用额：尚可拨付 ${yuan(project.outstanding)}，本次 ${yuan(amount)}`,
          `the disbursement exceeds the commitment left: ${yuan(project.outstanding)} left, ${yuan(amount)} requested`,
        );
      }
      return OK;
    }
    case 'release': {
      if (!project) return noCommitment(entry);
      if (amount > project.outstanding) {
        return refuse(
          'release-exceeds-commitment',
          `释放超过未拨付的占用额：未拨付 ${yuan(project.outstanding)}，本次 ${yuan(amount)}`,
          `the release exceeds the undisbursed commitment: ${yuan(project.outstanding)} undisbursed, ${yuan(amount)} requested`,
        );
      }
      return OK;
    }
    case 'recover': {
      if (!project) return noCommitment(entry);
      if (amount > project.netDisbursed) {
        return refuse(
          'recover-exceeds-disbursed',
          `追回超过已拨付未追回金额：可追回 ${yuan(project.netDisbursed)}，本次 ${yuan(amount)}`,
          `the recovery exceeds what was disbursed and not yet recovered: ${yuan(project.netDisbursed)} recoverable, ${yuan(amount)} requested`,
        );
      }
      return OK;
    }
  }
}

const KIND_ZH: Record<LedgerEntryKind, string> = {
  allocate: '资金下达',
  commit: '资金占用',
  disburse: '拨付',
  release: '释放',
  recover: '追回',
};

const CATEGORY_NUMERALS: Record<CategoryId, string> = { 1: '一', 2: '二', 3: '三', 4: '四' };

function noCommitment(entry: LedgerEntry): LedgerCheck {
  return refuse(
    'no-commitment',
    `项目 ${entry.projectId} 在基金 ${entry.fundId} 中没有资金占用，不能${KIND_ZH[entry.kind]}`,
    `project ${entry.projectId} has no commitment in fund ${entry.fundId} to ${entry.kind} against`,
  );
}

export type FundProposalRule = 'fund-unfunded' | 'fund-exhausted';

/**
 * Whether the fund takes new proposals: only while it is open. The plan is valid "until the money
 * is used up", so an exhausted fund refuses proposals; the status is derived, not sticky: a release
 * or a recovery that makes money available again reopens it.
 */
export function checkFundAcceptsProposals(balances: LedgerBalances, fundId: string): Check<FundProposalRule> {
  const { fund } = fundLedgerOf(balances, fundId);
  if (fund.status === 'unfunded') {
    return refuse(
      'fund-unfunded',
      `基金 ${fundId} 尚无下达资金，暂不受理申报（方案自县财政局收到资金之日起有效）`,
      `fund ${fundId} has no money allocated yet; proposals open once the county finance bureau receives it`,
    );
  }
  if (fund.status === 'exhausted') {
    return refuse(
      'fund-exhausted',
      `基金资金已全部安排（下达 ${yuan(fund.allocated)}，可用 ${yuan(0n)}），暂停受理新申报`,
      `the fund is exhausted (${yuan(fund.allocated)} allocated, ${yuan(0n)} available): new proposals are not accepted until money is released or recovered`,
    );
  }
  return OK;
}

/** The fund's status: open, exhausted (available == 0) or unfunded (nothing allocated). */
export function fundStatusOf(balances: LedgerBalances, fundId: string): FundStatus {
  return fundLedgerOf(balances, fundId).fund.status;
}

// ---------------------------------------------------------------------------------------------
// Invariants

function sumMovements(records: Iterable<Movements>): Movements {
  const total = { ...ZERO_MOVEMENTS };
  for (const r of records) {
    total.committed += r.committed;
    total.disbursed += r.disbursed;
    total.released += r.released;
    total.recovered += r.recovered;
  }
  return total;
}

function sameMovements(a: Movements, b: Movements): boolean {
  return a.committed === b.committed && a.disbursed === b.disbursed && a.released === b.released && a.recovered === b.recovered;
}

function describe(m: Movements): string {
  return `committed ${m.committed}, disbursed ${m.disbursed}, released ${m.released}, recovered ${m.recovered}`;
}

/**
 * Every broken invariant, as one English sentence each (empty when all hold). For audits, the
 * daily check and the end of a benchmark: balances built from entries that each passed
 * `checkEntry` never break one. Pass the funds' ceilings to check them too.
 */
export function findInvariantViolations(
  balances: LedgerBalances,
  ceilingsOf: (fundId: string) => FundCeilings | undefined = () => undefined,
): string[] {
  const problems: string[] = [];
  const fundOfProject = new Map<string, string>();
  for (const [fundId, ledger] of balances.funds) {
    for (const projectId of ledger.projects.keys()) {
      const first = fundOfProject.get(projectId);
      if (first !== undefined) problems.push(`project ${projectId} has entries in fund ${first} and in fund ${fundId}`);
      else fundOfProject.set(projectId, fundId);
    }
  }
  for (const [fundId, ledger] of balances.funds) {
    const { fund } = ledger;
    const where = `fund ${fundId}`;
    for (const [label, value] of [
      ['allocated', fund.allocated],
      ['committed', fund.committed],
      ['disbursed', fund.disbursed],
      ['released', fund.released],
      ['recovered', fund.recovered],
      ['available', fund.available],
      ['outstanding', fund.outstanding],
    ] as const) {
      if (value < 0n) problems.push(`${where}: ${label} is negative (${value})`);
    }
    if (fund.available + fund.outstanding !== fund.held) problems.push(`${where}: available + outstanding != held`);

    for (const project of ledger.projects.values()) {
      const at = `${where}, project ${project.projectId}`;
      if (project.fundId !== fundId) problems.push(`${at}: recorded under fund ${project.fundId}`);
      if (findItem(project.item)?.category !== project.category) problems.push(`${at}: item ${project.item} is not in category ${project.category}`);
      if (project.committed < 0n || project.disbursed < 0n || project.released < 0n || project.recovered < 0n) {
        problems.push(`${at}: a negative movement (${describe(project)})`);
      }
      if (project.disbursed + project.released > project.committed) {
        problems.push(`${at}: disbursed ${project.disbursed} + released ${project.released} exceed committed ${project.committed}`);
      }
      if (project.recovered > project.disbursed) problems.push(`${at}: recovered ${project.recovered} exceeds disbursed ${project.disbursed}`);
    }

    const fundMovements = movementsOf(fund);
    const sums: [string, Movements][] = [
      ['projects', sumMovements(ledger.projects.values())],
      ['items', sumMovements(ledger.items.values())],
      ['categories', sumMovements(ledger.categories.values())],
    ];
    for (const [label, total] of sums) {
      if (!sameMovements(total, fundMovements)) problems.push(`${where}: the sum over ${label} (${describe(total)}) differs from the fund (${describe(fundMovements)})`);
    }
    for (const category of ledger.categories.values()) {
      const items = [...ledger.items.values()].filter((item) => item.category === category.category);
      if (!sameMovements(sumMovements(items), category)) problems.push(`${where}: category ${category.category} differs from the sum of its items`);
    }
    for (const item of ledger.items.values()) {
      const projects = [...ledger.projects.values()].filter((project) => project.item === item.item);
      if (!sameMovements(sumMovements(projects), item)) problems.push(`${where}: item ${item.item} differs from the sum of its projects`);
    }

    const ceilings = ceilingsOf(fundId);
    for (const item of ledger.items.values()) {
      const ceiling = ceilingOf(ceilings?.items, item.item);
      if (ceiling !== undefined && item.used > ceiling) problems.push(`${where}: item ${item.item} uses ${item.used}, above its ceiling ${ceiling}`);
    }
    for (const category of ledger.categories.values()) {
      const ceiling = ceilingOf(ceilings?.categories, category.category);
      if (ceiling !== undefined && category.used > ceiling) {
        problems.push(`${where}: category ${category.category} uses ${category.used}, above its ceiling ${ceiling}`);
      }
    }
  }
  return problems;
}

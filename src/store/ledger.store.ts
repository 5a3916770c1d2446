import { uncommittedFen } from '../domain/ledger-model.ts';
import { refusal, type Refusal } from '../domain/refusal.ts';
import { randomUUID } from 'node:crypto';
import { CATEGORIES, findItem, ITEMS } from '../../config/plan.ts';
import type { Database } from './database.ts';

export type LedgerKind = 'allocate' | 'commit' | 'disburse' | 'release' | 'recover';
export type ProjectLedgerKind = Exclude<LedgerKind, 'allocate'>;

const BALANCE_COLUMN: Record<ProjectLedgerKind, string> = {
  commit: 'committed_fen',
  disburse: 'disbursed_fen',
  release: 'released_fen',
  recover: 'recovered_fen',
};

/** A ledger movement of one project, written in the same statement as the transition that caused it. */
export interface ProjectLedgerWrite {
  kind: ProjectLedgerKind;
  fundId: string;
  projectId: string;
  item: number;
  amountFen: number;
  actorId: string | null;
  eventType: string | null;
  eventSeq: number | null;
  reason: string | null;
  occurredAt: string;
}

/**
 * CTEs that apply one project ledger write after `after` (a CTE that yields one row when the
 * write must happen). They lock the project, then fund, category and item rows, always in that order, so
 * racing statements never deadlock; the CHECK constraints refuse an over-commitment or an
 * over-payment and the whole statement with it.
 */
export function ledgerWriteCtes(write: ProjectLedgerWrite, after: string, params: unknown[]): string {
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const column = BALANCE_COLUMN[write.kind];
  const item = findItem(write.item)!;
  const amount = p(write.amountFen);
  const fund = p(write.fundId);
  const project = p(write.projectId);
  const itemNo = p(write.item);
  const category = p(item.category);
  // The commit creates the project's balance row; every later movement must find it.
  const projectStep =
    write.kind === 'commit'
      ? `INSERT INTO project_balances (project_id, fund_id, item, committed_fen)
         SELECT ${project}::uuid, ${fund}::uuid, ${itemNo}::int, ${amount}::bigint FROM ${after}
         ON CONFLICT (project_id) DO UPDATE SET committed_fen = project_balances.committed_fen + EXCLUDED.committed_fen
         RETURNING project_id`
      : `UPDATE project_balances SET ${column} = project_balances.${column} + ${amount}::bigint
           FROM ${after} WHERE project_balances.project_id = ${project}::uuid AND project_balances.fund_id = ${fund}::uuid
         RETURNING project_balances.project_id`;
  return `
   , ledger_project AS (
       ${projectStep}
     ), ledger_fund AS (
       UPDATE fund_balances SET ${column} = fund_balances.${column} + ${amount}::bigint
         FROM ledger_project WHERE fund_balances.fund_id = ${fund}::uuid RETURNING fund_balances.fund_id
     ), ledger_category AS (
       UPDATE fund_category_balances SET ${column} = fund_category_balances.${column} + ${amount}::bigint
         FROM ledger_fund WHERE fund_category_balances.fund_id = ${fund}::uuid AND fund_category_balances.category = ${category}::int
       RETURNING fund_category_balances.fund_id
     ), ledger_item AS (
       UPDATE fund_item_balances SET ${column} = fund_item_balances.${column} + ${amount}::bigint
         FROM ledger_category WHERE fund_item_balances.fund_id = ${fund}::uuid AND fund_item_balances.item = ${itemNo}::int
       RETURNING fund_item_balances.fund_id
     ), ledger_entry AS (
       INSERT INTO ledger_entries (fund_id, kind, project_id, item, amount_fen, actor_id, event_type, event_seq, reason, occurred_at)
       SELECT ${fund}::uuid, ${p(write.kind)}, ${project}::uuid, ${itemNo}::int, ${amount}::bigint, ${p(write.actorId)}::uuid,
              ${p(write.eventType)}, ${p(write.eventSeq)}::int, ${p(write.reason)}, ${p(write.occurredAt)}::timestamptz
         FROM ledger_item
       RETURNING id
     )`;
}

/**
 * A select-list term that fails the whole statement (division by zero) when the ledger chain
 * wrote no entry although `after` yielded a row: a movement is all or nothing.
 */
export function ledgerWrittenGuard(after: string): string {
  return `(SELECT 1 / (CASE WHEN (SELECT count(*) FROM ${after}) = (SELECT count(*) FROM ledger_entry) THEN 1 ELSE 0 END))`;
}

/** A project ledger write on its own (recoveries are ledger facts, not machine events). */
export async function writeProjectLedger(db: Database, write: ProjectLedgerWrite): Promise<boolean> {
  const params: unknown[] = [];
  const rows = await db.query(
    `WITH go AS (SELECT 1) ${ledgerWriteCtes(write, 'go', params)} SELECT ${ledgerWrittenGuard('go')} AS written`,
    params,
  );
  return rows.length === 1;
}

/** What each ledger CHECK constraint refuses, in the one refusal shape (the code is the constraint's name). */
export const LEDGER_CONSTRAINT_REFUSALS: Record<string, Refusal> = {
  fund_not_overcommitted: refusal('fund_not_overcommitted', '可用资金不足', 'the fund does not have this much uncommitted money left'),
  fund_releases_within_commitments: refusal('fund_releases_within_commitments', '收回未拨付额度超过已安排额度', 'more released than committed'),
  item_within_ceiling: refusal('item_within_ceiling', '超过该支持事项的额度', 'the item ceiling would be exceeded'),
  category_within_ceiling: refusal('category_within_ceiling', '超过该支持类别的额度', 'the category ceiling would be exceeded'),
  project_not_overpaid: refusal('project_not_overpaid', '拨付超过批准金额', 'the project would be paid more than was approved'),
  project_recovery_within_paid: refusal('project_recovery_within_paid', '追回资金超过已拨付金额', 'more recovered than was paid'),
};

/** The refusal of a constraint by name; an unknown one still says it was the ledger. */
export function ledgerRefusalFor(constraint: string): Refusal {
  return Object.hasOwn(LEDGER_CONSTRAINT_REFUSALS, constraint)
    ? LEDGER_CONSTRAINT_REFUSALS[constraint]!
    : refusal(constraint || 'ledger-refused', `资金台账规则不允许此笔金额（${constraint}）`, `a ledger rule refused the amount (${constraint})`);
}


export interface FundInput {
  sourceDocument: string;
  name: string;
  amountFen: number;
  receivedOn: string;
  categoryCeilingsFen: Record<string, number>;
  itemCeilingsFen: Record<string, number>;
}

export async function createFund(db: Database, input: FundInput, actorId: string, at: string): Promise<string> {
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO funds (id, source_document, name, received_on, category_ceilings, item_ceilings, created_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)`,
      [id, input.sourceDocument, input.name, input.receivedOn, JSON.stringify(input.categoryCeilingsFen), JSON.stringify(input.itemCeilingsFen), actorId],
    );
    await tx.query('INSERT INTO fund_balances (fund_id, allocated_fen) VALUES ($1, $2)', [id, input.amountFen]);
    for (const category of CATEGORIES) {
      await tx.query('INSERT INTO fund_category_balances (fund_id, category, ceiling_fen) VALUES ($1, $2, $3)', [
        id,
        category.id,
        input.categoryCeilingsFen[String(category.id)] ?? null,
      ]);
    }
    for (const item of ITEMS) {
      await tx.query('INSERT INTO fund_item_balances (fund_id, item, category, ceiling_fen) VALUES ($1, $2, $3, $4)', [
        id,
        item.id,
        item.category,
        input.itemCeilingsFen[String(item.id)] ?? null,
      ]);
    }
    await tx.query(
      `INSERT INTO ledger_entries (fund_id, kind, amount_fen, actor_id, reason, occurred_at) VALUES ($1, 'allocate', $2, $3, $4, $5)`,
      [id, input.amountFen, actorId, input.sourceDocument, at],
    );
  });
  return id;
}

export interface FundBalanceRow {
  fund_id: string;
  source_document: string;
  name: string;
  received_on: string;
  category_ceilings: Record<string, number>;
  item_ceilings: Record<string, number>;
  allocated_fen: number;
  committed_fen: number;
  disbursed_fen: number;
  released_fen: number;
  recovered_fen: number;
}

const FUND_SELECT = `SELECT f.id AS fund_id, f.source_document, f.name, to_char(f.received_on, 'YYYY-MM-DD') AS received_on,
  f.category_ceilings, f.item_ceilings, b.allocated_fen, b.committed_fen, b.disbursed_fen, b.released_fen, b.recovered_fen
  FROM funds f JOIN fund_balances b ON b.fund_id = f.id`;

export async function findFund(db: Database, fundId: string): Promise<FundBalanceRow | undefined> {
  return (await db.query<FundBalanceRow>(`${FUND_SELECT} WHERE f.id = $1`, [fundId]))[0];
}

export async function listFunds(db: Database): Promise<FundBalanceRow[]> {
  return db.query<FundBalanceRow>(`${FUND_SELECT} ORDER BY f.received_on, f.created_at`);
}

/** Available = allocated − committed + released + recovered: money not promised to any project. */
export function availableFen(fund: Pick<FundBalanceRow, 'allocated_fen' | 'committed_fen' | 'released_fen' | 'recovered_fen'>): number {
  return uncommittedFen({
    allocatedFen: fund.allocated_fen,
    committedFen: fund.committed_fen,
    releasedFen: fund.released_fen,
    recoveredFen: fund.recovered_fen,
    disbursedFen: 0,
  });
}

export interface ItemBalanceRow {
  item: number;
  category: number;
  ceiling_fen: number | null;
  committed_fen: number;
  disbursed_fen: number;
  released_fen: number;
  recovered_fen: number;
}

export async function listItemBalances(db: Database, fundId: string): Promise<ItemBalanceRow[]> {
  return db.query<ItemBalanceRow>(
    `SELECT item, category, ceiling_fen, committed_fen, disbursed_fen, released_fen, recovered_fen
       FROM fund_item_balances WHERE fund_id = $1 ORDER BY item`,
    [fundId],
  );
}

export interface ProjectBalanceRow {
  project_id: string;
  fund_id: string;
  item: number;
  committed_fen: number;
  disbursed_fen: number;
  released_fen: number;
  recovered_fen: number;
}

export async function findProjectBalance(db: Database, projectId: string): Promise<ProjectBalanceRow | undefined> {
  return (await db.query<ProjectBalanceRow>('SELECT * FROM project_balances WHERE project_id = $1', [projectId]))[0];
}

export interface LedgerFilter {
  fundId?: string;
  projectId?: string;
  kind?: LedgerKind;
  item?: number;
  afterId?: number;
  limit: number;
}

export interface LedgerEntryRow {
  id: number;
  fund_id: string;
  kind: LedgerKind;
  project_id: string | null;
  project_code: string | null;
  item: number | null;
  amount_fen: number;
  actor_id: string | null;
  event_type: string | null;
  event_seq: number | null;
  reason: string | null;
  occurred_at: Date;
}

export async function listLedgerEntries(db: Database, filter: LedgerFilter): Promise<LedgerEntryRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.fundId) add('l.fund_id = ?', filter.fundId);
  if (filter.projectId) add('l.project_id = ?', filter.projectId);
  if (filter.kind) add('l.kind = ?', filter.kind);
  if (filter.item !== undefined) add('l.item = ?', filter.item);
  if (filter.afterId !== undefined) add('l.id > ?', filter.afterId);
  params.push(filter.limit);
  return db.query<LedgerEntryRow>(
    `SELECT l.*, p.code AS project_code FROM ledger_entries l LEFT JOIN projects p ON p.id = l.project_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY l.id LIMIT $${params.length}`,
    params,
  );
}

export interface CategoryBalanceRow extends Omit<ItemBalanceRow, 'item'> {}

export async function listCategoryBalances(db: Database, fundId: string): Promise<CategoryBalanceRow[]> {
  return db.query<CategoryBalanceRow>(
    `SELECT category, ceiling_fen, committed_fen, disbursed_fen, released_fen, recovered_fen
       FROM fund_category_balances WHERE fund_id = $1 ORDER BY category`,
    [fundId],
  );
}

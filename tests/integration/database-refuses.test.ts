import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ITEMS } from '../../config/plan.ts';
import { createFund, writeProjectLedger, type ProjectLedgerWrite } from '../../src/store/ledger.store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The database keeps the money rules even when the application would let a write through: the
 * app picks a fund by its uncommitted money only, so item and category ceilings are the CHECK
 * constraints' alone; and a write that skips the app altogether (a direct call into the store)
 * is refused by the constraint named for the rule, with nothing written.
 */
let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;
const ITEM = 5;
const CATEGORY = ITEMS.find((item) => item.id === ITEM)!.category;

beforeAll(async () => {
  database = await createTestDatabase(10);
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function fundWith(ceilings: { item?: number; category?: number }, amountFen = 100_000_000): Promise<string> {
  return createFund(
    app.db,
    {
      sourceDocument: '晋企发〔2024〕9号',
      name: `限额资金-${Math.random()}`,
      amountFen,
      receivedOn: '2024-09-01',
      categoryCeilingsFen: ceilings.category === undefined ? {} : { [String(CATEGORY)]: ceilings.category },
      itemCeilingsFen: ceilings.item === undefined ? {} : { [String(ITEM)]: ceilings.item },
    },
    app.users.admin.id,
    app.clock.now().toISOString(),
  );
}

async function ledgerState(projectId: string, fundId: string) {
  const [row] = await app.db.query<{ version: number; state: string; entries: number; item_committed: number; category_committed: number; fund_committed: number }>(
    `SELECT p.version, p.state,
            (SELECT count(*)::int FROM ledger_entries WHERE project_id = p.id) AS entries,
            (SELECT committed_fen::bigint FROM fund_item_balances WHERE fund_id = $2 AND item = $3) AS item_committed,
            (SELECT committed_fen::bigint FROM fund_category_balances WHERE fund_id = $2 AND category = $4) AS category_committed,
            (SELECT committed_fen::bigint FROM fund_balances WHERE fund_id = $2) AS fund_committed
       FROM projects p WHERE p.id = $1`,
    [projectId, fundId, ITEM, CATEGORY],
  );
  return { ...row!, item_committed: Number(row!.item_committed), category_committed: Number(row!.category_committed), fund_committed: Number(row!.fund_committed) };
}

/** Center approves, then finance gives the final approval from `fundId` over HTTP. */
async function finalApproval(requestedFen: number, fundId: string) {
  const project = await driveTo(app, 'proposed.review', { item: ITEM, requestedFen });
  const center = await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.center.token, body: { type: 'APPROVE' } });
  expect(center.status).toBe(200);
  const before = await ledgerState(project.id, fundId);
  const finance = await api('POST', `/api/v1/projects/${project.id}/events`, { token: app.users.finance.token, body: { type: 'APPROVE', fundId } });
  return { id: project.id, before, finance, after: await ledgerState(project.id, fundId) };
}

describe('a commit the app would allow, refused by the database', () => {
  it('over an item ceiling: 422 naming the item ceiling, nothing written; under it the same approval commits', async () => {
    const fundId = await fundWith({ item: 10_000_000 });
    const over = await finalApproval(12_000_000, fundId);
    expect(over.finance.status).toBe(422);
    expect(over.finance.headers.get('content-type')).toContain('application/problem+json');
    expect(over.finance.body.detail).toContain('超过该支持事项的额度');
    expect(over.after).toEqual(over.before);
    expect(over.after.state).toBe('proposed.review');
    expect(over.after.entries).toBe(0);

    // The control: the same path within the ceiling commits, so the refusal above was the ceiling's.
    const under = await finalApproval(10_000_000, fundId);
    expect(under.finance.status).toBe(200);
    expect(under.after).toMatchObject({ state: 'approved', entries: 1, item_committed: 10_000_000, category_committed: 10_000_000 });
  });

  it('over a category ceiling: 422 naming the category ceiling, nothing written; under it the same approval commits', async () => {
    const fundId = await fundWith({ category: 10_000_000 });
    const over = await finalApproval(12_000_000, fundId);
    expect(over.finance.status).toBe(422);
    expect(over.finance.body.detail).toContain('超过该支持类别的额度');
    expect(over.after).toEqual(over.before);
    expect(over.after.entries).toBe(0);

    const under = await finalApproval(9_000_000, fundId);
    expect(under.finance.status).toBe(200);
    expect(under.after).toMatchObject({ state: 'approved', entries: 1, category_committed: 9_000_000 });
  });
});

describe('a write straight into the store, past every pre-check, is refused by the named CHECK constraint', () => {
  async function refusal(write: ProjectLedgerWrite): Promise<string | undefined> {
    try {
      await writeProjectLedger(app.db, write);
      return undefined;
    } catch (error) {
      return (error as { constraint?: string }).constraint;
    }
  }
  const totals = async () => {
    const [row] = await app.db.query<{ entries: number; sums: string }>(
      `SELECT (SELECT count(*)::int FROM ledger_entries) AS entries,
              (SELECT concat_ws('/', sum(committed_fen), sum(disbursed_fen), sum(released_fen), sum(recovered_fen)) FROM project_balances) AS sums`,
    );
    return row;
  };

  it.each([
    ['a commit over the item ceiling', 'item_within_ceiling', { item: 1_000_000 }, 'commit', 1_000_001],
    ['a commit over the category ceiling', 'category_within_ceiling', { category: 1_000_000 }, 'commit', 1_000_001],
    ['a commit over what the fund has', 'fund_not_overcommitted', {}, 'commit', 100_000_001],
    ['a disbursement over the commitment', 'project_not_overpaid', {}, 'disburse', 12_000_001],
    ['a recovery over what was paid', 'project_recovery_within_paid', {}, 'recover', 1],
  ] as const)('%s: refused by %s, nothing written', async (_name, constraint, ceilings, kind, amountFen) => {
    const fundId = await fundWith(ceilings);
    // A project with a balance row on this fund: committed 12,000,000 fen when the fund allows it, else nothing yet.
    const project = await driveTo(app, 'proposed.review', { item: ITEM, requestedFen: 12_000_000 });
    const write = (k: ProjectLedgerWrite['kind'], amount: number): ProjectLedgerWrite => ({
      kind: k,
      fundId,
      projectId: project.id,
      item: ITEM,
      amountFen: amount,
      actorId: app.users.finance.id,
      eventType: null,
      eventSeq: null,
      reason: 'direct store call in a test',
      occurredAt: app.clock.now().toISOString(),
    });
    if (kind !== 'commit') expect(await writeProjectLedger(app.db, write('commit', 12_000_000))).toBe(true);
    const before = await totals();
    expect(await refusal(write(kind, amountFen))).toBe(constraint);
    expect(await totals()).toEqual(before);
  });
});

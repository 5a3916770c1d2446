import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, findItem } from '../../config/plan.ts';
import { GENESIS_HASH } from '../../src/domain/audit-chain.ts';
import { applyMovement, netCommittedFen, type LedgerRefusalCode, type ModelFund, type ProjectLedgerKind } from '../../src/domain/ledger-model.ts';
import { pgErrorCode, PG_CHECK_VIOLATION } from '../../src/store/database.ts';
import { createFund, writeProjectLedger } from '../../src/store/ledger.store.ts';
import { insertProject } from '../../src/store/projects.store.ts';
import { addOrganisation } from '../../src/store/users.store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

/**
 * One ledger truth: random movements go through BOTH the real PostgreSQL ledger (the real store
 * function, its CHECK constraints) and the pure model (src/domain/ledger-model.ts), and after every
 * movement the outcome (written, or which constraint refused it) and at the end every balance row
 * must be the same.
 */

const ITEMS = [5, 6, 12]; // two categories between them, so category and item ceilings both bind
const categoryOf = (item: number) => findItem(item)!.category;

let database: TestDatabase;
let orgId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  orgId = (await addOrganisation(database.db, { name: `ledger-model-${randomUUID()}`, kind: 'unit' })).id;
});

afterAll(async () => {
  await database?.drop();
});

interface Scenario {
  allocatedFen: number;
  itemCeilings: (number | null)[];
  categoryCeilings: Record<number, number | null>;
  moves: { kind: ProjectLedgerKind; project: number; amountFen: number }[];
}

const ceiling = fc.option(fc.integer({ min: 500, max: 3_000 }), { nil: null, freq: 3 });
const scenario: fc.Arbitrary<Scenario> = fc.record({
  allocatedFen: fc.integer({ min: 2_000, max: 8_000 }),
  itemCeilings: fc.tuple(ceiling, ceiling, ceiling),
  categoryCeilings: fc.record({ [categoryOf(5)]: ceiling, [categoryOf(12)]: ceiling }) as fc.Arbitrary<Record<number, number | null>>,
  moves: fc.array(
    fc.record({
      kind: fc.constantFrom<ProjectLedgerKind>('commit', 'commit', 'commit', 'disburse', 'disburse', 'disburse', 'release', 'recover', 'recover'),
      project: fc.nat(3), // project 3 shares project 0's item
      amountFen: fc.integer({ min: 1, max: 1_500 }),
    }),
    { minLength: 1, maxLength: 30 },
  ),
});

const RECOVERED_THEN_COMMITTED: Scenario = {
  allocatedFen: 10_000,
  itemCeilings: [1_000, null, null],
  categoryCeilings: { [categoryOf(5)]: null, [categoryOf(12)]: null },
  moves: [
    { kind: 'commit', project: 0, amountFen: 1_000 },
    { kind: 'disburse', project: 0, amountFen: 600 },
    { kind: 'recover', project: 0, amountFen: 500 },
    { kind: 'commit', project: 3, amountFen: 300 },
  ],
};

async function runInDatabase(s: Scenario) {
  const db = database.db;
  const categoryCeilingsFen = Object.fromEntries(Object.entries(s.categoryCeilings).filter(([, v]) => v !== null).map(([k, v]) => [k, v!]));
  const itemCeilingsFen = Object.fromEntries(ITEMS.flatMap((item, i) => (s.itemCeilings[i] === null ? [] : [[String(item), s.itemCeilings[i]!]])));
  const fundId = await createFund(
    db,
    { sourceDocument: '晋企发〔2023〕1号', name: 'model', amountFen: s.allocatedFen, receivedOn: '2024-01-01', categoryCeilingsFen, itemCeilingsFen },
    null as never,
    '2024-01-01T00:00:00Z',
  );
  const projects: { id: string; item: number }[] = [];
  for (const item of [...ITEMS, ITEMS[0]!]) {
    const id = randomUUID();
    await insertProject(db, {
      id,
      code: `M-${id}`,
      orgId,
      item,
      title: 'model',
      requestedFen: 1,
      state: 'executing',
      machineVersion: 'project@1',
      snapshot: {},
      audit: {
        seq: 1, eventType: 'PROPOSE', actorId: null, actorRole: 'applicant', channel: 'api', fromState: null, toState: 'executing',
        payload: {}, reason: null, occurredAt: '2024-01-01T00:00:00Z', prevHash: GENESIS_HASH, hash: 'h',
      },
    });
    projects.push({ id, item });
  }
  const outcomes: (LedgerRefusalCode | 'ok')[] = [];
  for (const move of s.moves) {
    const project = projects[move.project]!;
    try {
      await writeProjectLedger(db, {
        kind: move.kind, fundId, projectId: project.id, item: project.item, amountFen: move.amountFen,
        actorId: null, eventType: null, eventSeq: null, reason: null, occurredAt: '2024-02-01T00:00:00Z',
      });
      outcomes.push('ok');
    } catch (error) {
      const code = pgErrorCode(error);
      if (code === PG_CHECK_VIOLATION) outcomes.push((error as { constraint: LedgerRefusalCode }).constraint);
      else if (code === '22012') outcomes.push('no-commitment'); // ledgerWrittenGuard: nothing to move
      else throw error;
    }
  }
  const fund = (await db.query<Record<string, number>>('SELECT allocated_fen, committed_fen, disbursed_fen, released_fen, recovered_fen FROM fund_balances WHERE fund_id = $1', [fundId]))[0]!;
  const categories = await db.query<Record<string, number>>(
    'SELECT category, committed_fen, disbursed_fen, released_fen, recovered_fen FROM fund_category_balances WHERE fund_id = $1 ORDER BY category',
    [fundId],
  );
  const items = await db.query<Record<string, number>>(
    'SELECT item, committed_fen, disbursed_fen, released_fen, recovered_fen FROM fund_item_balances WHERE fund_id = $1 AND item = ANY($2::int[]) ORDER BY item',
    [fundId, ITEMS],
  );
  const projectRows = await db.query<Record<string, number | string>>(
    'SELECT project_id, committed_fen, disbursed_fen, released_fen, recovered_fen FROM project_balances WHERE fund_id = $1',
    [fundId],
  );
  const byProject = new Map(projectRows.map((row) => [row.project_id as string, row]));
  return { outcomes, fund, categories, items, projects: projects.map((p) => byProject.get(p.id) ?? null), ids: projects.map((p) => p.id) };
}

function runInModel(s: Scenario, ids: string[]) {
  const zero = { committedFen: 0, disbursedFen: 0, releasedFen: 0, recoveredFen: 0 };
  let fund: ModelFund = {
    ...zero,
    allocatedFen: s.allocatedFen,
    categories: new Map(CATEGORIES.map((c) => [c.id, { ...zero, ceilingFen: s.categoryCeilings[c.id] ?? null }])),
    items: new Map(ITEMS.map((item, i) => [item, { ...zero, ceilingFen: s.itemCeilings[i]!, category: categoryOf(item) }])),
    projects: new Map(),
  };
  const items = [...ITEMS, ITEMS[0]!];
  const outcomes: (LedgerRefusalCode | 'ok')[] = [];
  for (const move of s.moves) {
    const item = items[move.project]!;
    const result = applyMovement(fund, { kind: move.kind, projectId: ids[move.project]!, item, category: categoryOf(item), amountFen: move.amountFen });
    if (result.ok) fund = result.fund;
    outcomes.push(result.ok ? 'ok' : result.code);
  }
  return { outcomes, fund };
}

const row = (m: { committedFen: number; disbursedFen: number; releasedFen: number; recoveredFen: number }) => ({
  committed_fen: m.committedFen,
  disbursed_fen: m.disbursedFen,
  released_fen: m.releasedFen,
  recovered_fen: m.recoveredFen,
});

describe('one ledger truth: PostgreSQL and the model agree', () => {
  it('on random movements: the same outcomes, refusals by the same constraint, the same balances', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const db = await runInDatabase(s);
        const model = runInModel(s, db.ids);
        expect(db.outcomes).toEqual(model.outcomes);
        for (const outcome of db.outcomes) seen.add(outcome);
        expect(db.fund).toEqual({ allocated_fen: model.fund.allocatedFen, ...row(model.fund) });
        expect(db.categories).toEqual(CATEGORIES.map((c) => ({ category: c.id, ...row(model.fund.categories.get(c.id)!) })));
        expect(db.items).toEqual(ITEMS.map((item) => ({ item, ...row(model.fund.items.get(item)!) })));
        expect(db.projects).toEqual(db.ids.map((id) => {
          const p = model.fund.projects.get(id);
          return p ? { project_id: id, ...row(p) } : null;
        }));
        // The one formula: a ceiling and the allocation bound the net commitment.
        expect(netCommittedFen(model.fund)).toBeLessThanOrEqual(model.fund.allocatedFen + model.fund.recoveredFen);
      }),
      {
        numRuns: 40,
        // A recovery does not free ceiling room: the SQL CHECK bounds committed - released, not less the recoveries.
        examples: [[RECOVERED_THEN_COMMITTED]],
      },
    );
    // The generator reaches the writes and the refusals that matter, so agreement is not vacuous.
    for (const outcome of ['ok', 'no-commitment', 'project_not_overpaid', 'project_recovery_within_paid', 'item_within_ceiling', 'category_within_ceiling']) {
      expect(seen, outcome).toContain(outcome);
    }
  }, 300_000);
});

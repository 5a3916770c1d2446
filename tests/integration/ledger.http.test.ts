import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import type { Database } from '../../src/store/database.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { driveTo } from '../support/drive.ts';
import { attachKinds, SAMPLE_VOUCHER } from '../support/materials.ts';
import { DEFAULT_REQUIRED_MATERIALS, requiredMaterialsSchema } from '../../config/required-materials.ts';
import { apiClient, startTestApp, type TestApp } from '../support/test-app.ts';

let database: TestDatabase;
let app: TestApp;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  database = await createTestDatabase(20);
  app = await startTestApp(database.db);
  api = apiClient(app.baseUrl);
});
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

/** Every balance row equals the sum of its ledger entries, and no invariant is broken. */
async function assertLedgerInvariants(db: Database) {
  const mismatches = await db.query(
    `WITH sums AS (
       SELECT fund_id,
              coalesce(sum(amount_fen) FILTER (WHERE kind = 'allocate'), 0) AS allocated,
              coalesce(sum(amount_fen) FILTER (WHERE kind = 'commit'), 0) AS committed,
              coalesce(sum(amount_fen) FILTER (WHERE kind = 'disburse'), 0) AS disbursed,
              coalesce(sum(amount_fen) FILTER (WHERE kind = 'release'), 0) AS released,
              coalesce(sum(amount_fen) FILTER (WHERE kind = 'recover'), 0) AS recovered
         FROM ledger_entries GROUP BY fund_id)
     SELECT b.fund_id FROM fund_balances b JOIN sums s USING (fund_id)
      WHERE (b.allocated_fen, b.committed_fen, b.disbursed_fen, b.released_fen, b.recovered_fen)
            <> (s.allocated, s.committed, s.disbursed, s.released, s.recovered)
         OR b.committed_fen - b.released_fen > b.allocated_fen + b.recovered_fen`,
  );
  expect(mismatches).toEqual([]);
  const projectMismatches = await db.query(
    `WITH sums AS (
       SELECT project_id,
              coalesce(sum(amount_fen) FILTER (WHERE kind = 'commit'), 0) AS committed,
              coalesce(sum(amount_fen) FILTER (WHERE kind = 'disburse'), 0) AS disbursed,
              coalesce(sum(amount_fen) FILTER (WHERE kind = 'release'), 0) AS released
         FROM ledger_entries WHERE project_id IS NOT NULL GROUP BY project_id)
     SELECT b.project_id FROM project_balances b JOIN sums s USING (project_id)
      WHERE (b.committed_fen, b.disbursed_fen, b.released_fen) <> (s.committed, s.disbursed, s.released)
         OR b.disbursed_fen + b.released_fen > b.committed_fen`,
  );
  expect(projectMismatches).toEqual([]);
  const itemMismatches = await db.query(
    `SELECT f.fund_id FROM fund_balances f
       JOIN (SELECT fund_id, sum(committed_fen) AS committed, sum(disbursed_fen) AS disbursed FROM fund_item_balances GROUP BY fund_id) i USING (fund_id)
       JOIN (SELECT fund_id, sum(committed_fen) AS committed, sum(disbursed_fen) AS disbursed FROM fund_category_balances GROUP BY fund_id) c USING (fund_id)
      WHERE (f.committed_fen, f.disbursed_fen) <> (i.committed, i.disbursed) OR (f.committed_fen, f.disbursed_fen) <> (c.committed, c.disbursed)`,
  );
  expect(itemMismatches).toEqual([]);
}

describe('funds through HTTP', () => {
  it('records a fund with its allocation and shows balances per category and item', async () => {
    const response = await api('POST', '/api/v1/funds', {
      token: app.users.finance.token,
      body: { sourceDocument: '晋企发〔2023〕1号', name: '第二批', amountFen: 5_000_000, receivedOn: '2024-09-19', itemCeilingsFen: { '11': 2_000_000 } },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'open', balances: { allocatedFen: 5_000_000, availableFen: 5_000_000 } });
    const read = await api('GET', `/api/v1/funds/${response.body.id}`, { token: app.users.center.token });
    expect(read.body.items).toHaveLength(13);
    expect(read.body.items[10]).toMatchObject({ id: 11, ceilingFen: 2_000_000 });
    expect(read.body.categories).toHaveLength(4);
  });

  it.each([
    ['a float', { amountFen: 10.5 }, 'amountFen'],
    ['a negative amount', { amountFen: -1 }, 'amountFen'],
    ['more than 10^15 fen', { amountFen: 1e15 + 1 }, 'amountFen'],
    ['an unknown item ceiling', { itemCeilingsFen: { '14': 100 } }, 'itemCeilingsFen.14'],
    ['a bad date', { receivedOn: '2024-02-30' }, 'receivedOn'],
  ])('refuses %s with a 400 naming the field, writing nothing', async (_name, change, field) => {
    const before = await app.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM ledger_entries');
    const response = await api('POST', '/api/v1/funds', {
      token: app.users.finance.token,
      body: { sourceDocument: 'x', name: 'y', amountFen: 100, receivedOn: '2024-09-19', ...change },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect(await app.db.query('SELECT count(*)::int8 AS n FROM ledger_entries')).toEqual(before);
  });

  it('only finance and admin record funds; applicants do not read the ledger', async () => {
    expect((await api('POST', '/api/v1/funds', { token: app.users.center.token, body: {} })).status).toBe(403);
    expect((await api('GET', '/api/v1/ledger', { token: app.users.applicant.token })).status).toBe(403);
  });

  it('unknown fund or project: 404; a recovery above what was paid: 422', async () => {
    expect((await api('GET', '/api/v1/funds/00000000-0000-4000-8000-000000000000', { token: app.users.finance.token })).status).toBe(404);
    const project = await driveTo(app, 'executing');
    const tooMuch = await api('POST', `/api/v1/projects/${project.id}/recoveries`, {
      token: app.users.finance.token,
      body: { amountFen: 99_000_000, reason: '审计追回' },
    });
    expect(tooMuch.status).toBe(422);
    const ok = await api('POST', `/api/v1/projects/${project.id}/recoveries`, { token: app.users.finance.token, body: { amountFen: 1_000, reason: '审计追回' } });
    expect(ok.status).toBe(201);
    await assertLedgerInvariants(app.db);
  });

  it('the public disclosure needs no login and shows approved projects only', async () => {
    const approved = await driveTo(app, 'approved');
    const draft = await driveTo(app, 'proposed.draft');
    const codes = async () => (await api('GET', '/api/v1/public/projects?limit=1000')).body.items.map((item: { code: string }) => item.code);
    const view = (id: string) => api('GET', `/api/v1/projects/${id}`, { token: app.users.admin.token });
    const visible = await codes();
    expect(visible).toContain((await view(approved.id)).body.code);
    expect(visible).not.toContain((await view(draft.id)).body.code);
    const csv = await fetch(`${app.baseUrl}/api/v1/public/projects.csv?limit=1000`);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toContain('项目编号');
    expect(text).not.toMatch(/@yc\.test/);
  });
});

describe('racing for the last money on real PostgreSQL', () => {
  it('200 concurrent approvals and disbursements leave exact totals, nothing over-committed', async () => {
    const raceDb = await createTestDatabase(30);
    // Tranches here race for the commitment only; the tranche rules have their own tests.
      const race = await startTestApp(raceDb.db, {
        fundFen: 10_000_000,
        rules: { ...DEFAULT_LIFECYCLE_RULES, tranche: { ...DEFAULT_LIFECYCLE_RULES.tranche, laterTrancheRequires: 'none' } },
        // One contract covers every tranche here (a county may configure it so): the race is about money, not files.
        requiredMaterials: requiredMaterialsSchema.parse({
          ...DEFAULT_REQUIRED_MATERIALS,
          events: { ...DEFAULT_REQUIRED_MATERIALS.events, DISBURSE: { groups: [{ anyOf: ['contract'] }], voucherNumber: true } },
        }),
      });
    const raceApi = apiClient(race.baseUrl);
    try {
      // The test app's own fund holds 10,000,000 fen. The paid project takes 1,000,000 of it.
      const paid = await driveTo(race, 'approved', { requestedFen: 1_000_000 });
      await attachKinds(race.engine, { userId: race.users.applicant.id, role: 'applicant', orgId: race.users.applicant.orgId }, paid.id, ['contract']);
      const waiting = [];
      for (let i = 0; i < 100; i += 1) waiting.push(await driveTo(race, 'proposed.review', { requestedFen: 150_000 }));
      for (const project of waiting) {
        const response = await raceApi('POST', `/api/v1/projects/${project.id}/events`, { token: race.users.center.token, body: { type: 'APPROVE' } });
        expect(response.status).toBe(200);
      }
      const approvals = waiting.map((project) =>
        raceApi('POST', `/api/v1/projects/${project.id}/events`, { token: race.users.finance.token, body: { type: 'APPROVE' } }),
      );
      const disbursements = Array.from({ length: 100 }, () =>
        raceApi('POST', `/api/v1/projects/${paid.id}/events`, { token: race.users.finance.token, body: { type: 'DISBURSE', amountFen: 70_000, voucher: SAMPLE_VOUCHER } }),
      );
      const results = await Promise.all([...approvals, ...disbursements]);
      const approvalStatuses = results.slice(0, 100).map((r) => r.status);
      const disburseStatuses = results.slice(100).map((r) => r.status);
      expect(results).toHaveLength(200);
      expect([...approvalStatuses, ...disburseStatuses].every((status) => [200, 409, 422].includes(status))).toBe(true);
      // 9,000,000 left after the paid project: exactly 60 approvals of 150,000 fit.
      expect(approvalStatuses.filter((s) => s === 200)).toHaveLength(60);
      // 1,000,000 committed to the paid project: exactly 14 tranches of 70,000 fit.
      expect(disburseStatuses.filter((s) => s === 200)).toHaveLength(14);
      for (const refused of results.filter((r) => r.status === 422)) {
        expect(refused.body.detail).toMatch(/资金|额度|批准金额/);
        expect(refused.body.detailEn).toMatch(/commitment|fund|approved|exhausted/);
      }
      const fund = (await raceApi('GET', '/api/v1/funds', { token: race.users.finance.token })).body.items[0];
      expect(fund.balances).toMatchObject({ allocatedFen: 10_000_000, committedFen: 10_000_000, disbursedFen: 980_000, availableFen: 0 });
      expect(fund.status).toBe('exhausted');
      await assertLedgerInvariants(race.db);
      // While exhausted, new proposals are refused with the reason.
      const fresh = await driveTo(race, 'proposed.draft');
      const submit = await raceApi('POST', `/api/v1/projects/${fresh.id}/events`, { token: race.users.applicant.token, body: { type: 'SUBMIT' } });
      expect(submit.status).toBe(422);
      expect(submit.body.detail).toBe('奖励资金已全部安排，暂停受理新的申报');
      expect(submit.body.detailEn).toMatch(/exhausted/);
    } finally {
      await race.close();
      await raceDb.drop();
    }
  });
});


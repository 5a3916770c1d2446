import type { Browser } from 'playwright-core';
import { businessDateOf } from '../../src/domain/business-date.ts';
import { createFund } from '../../src/store/ledger.store.ts';
import type { JourneyServer } from '../e2e/support/journey-server.ts';
import { pageTimer, sessionCookie } from './support/page-timing.ts';
import { envNumber, fmt } from './support/report.ts';

/**
 * The county view's budgets (issue 13), a benchmark, not a test: with BENCH_COUNTY_PROJECTS
 * (10,000) projects and BENCH_COUNTY_ENTRIES (100,000) ledger entries, each dashboard panel's API
 * p95 (budget 200 ms), the ledger page's API with filters p95 (budget 300 ms), and the dashboard in
 * chromium from navigation to every panel drawn (budget 1.5 s). `npm run bench -- web` calls
 * measureCountyView from tests/bench/web.bench.ts; it seeds last, into the same database.
 *
 * The rows are written by SQL in bulk (the engine at 10,000 projects would take the bench's whole
 * budget): project rows cloned from a real one with states, items and dates spread, their audit
 * events, a fund with 100,000 ledger entries and its balance rows set to their sums (so every
 * CHECK holds), deadlines and tasks some of them overdue, and a daily-check run with its alerts.
 */
const PROJECTS = envNumber('BENCH_COUNTY_PROJECTS', 10_000);
const ENTRIES = envNumber('BENCH_COUNTY_ENTRIES', 100_000);
const CALLS = envNumber('BENCH_COUNTY_CALLS', 40);
const RUNS = envNumber('BENCH_COUNTY_RUNS', 5);

const STATES = [
  'proposed.draft', 'proposed.review', 'approved', 'executing', 'executing', 'executing', 'inspected', 'deviated-corrected.correcting',
  'suspended.held', 'evaluated.self-evaluation', 'evaluated.finance-review', 'closed', 'rejected', 'withdrawn',
];

const PANELS = ['panel-balances', 'panel-funnel', 'panel-lights', 'panel-overdue', 'panel-disbursement', 'panel-month'];

type Latency = { p50: number; p95: number; calls: number };

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};

async function seedCountyData(server: JourneyServer): Promise<{ fundId: string; sampleProjectId: string }> {
  const db = server.db.db;
  const template = (await db.query<{ id: string }>(`SELECT id FROM projects ORDER BY created_at LIMIT 1`))[0];
  if (!template) throw new Error('the county bench clones a real project row; seed one first');
  const fundId = await createFund(
    db,
    { sourceDocument: '晋企发〔2026〕基准测试号', name: '示范县奖励资金（基准测试）', amountFen: 100_000_000_000_000, receivedOn: '2026-01-05', categoryCeilingsFen: {}, itemCeilingsFen: {} },
    server.users.finance.id,
    new Date().toISOString(),
  );
  const states = `ARRAY[${STATES.map((state) => `'${state}'`).join(',')}]`;
  await db.query(
    `INSERT INTO projects (id, code, org_id, item, title, requested_fen, state, machine_version, snapshot, version, last_hash, created_at, updated_at, tags, fund_id)
     SELECT gen_random_uuid(), 'BN-' || lpad(n::text, 6, '0'), t.org_id, 1 + n % 13, '基准测试项目 ' || n, 1000000,
            (${states})[1 + n % ${STATES.length}], t.machine_version, t.snapshot, 1, t.last_hash,
            now() - (n % 400) * interval '1 day', now(), '{}', $2::uuid
       FROM generate_series(1, $1::int) n, (SELECT * FROM projects WHERE id = $3) t`,
    [PROJECTS, fundId, template.id],
  );
  // Audit events of this month and before: a submission and an approval per project.
  await db.query(
    `INSERT INTO project_events (project_id, seq, event_type, actor_role, channel, from_state, to_state, payload, occurred_at, prev_hash, hash)
     SELECT p.id, s.seq, CASE s.seq WHEN 2 THEN 'SUBMIT' ELSE 'APPROVE' END, 'center', 'api', 'proposed.review',
            CASE s.seq WHEN 2 THEN 'proposed.review' ELSE 'approved' END, '{}', p.created_at + s.seq * interval '1 hour', 'bench', 'bench-' || s.seq
       FROM projects p, (VALUES (2), (3)) s(seq) WHERE p.code LIKE 'BN-%'`,
  );
  // Ledger: one commitment per funded project, disbursements for the rest of the entries (each well under its commitment).
  await db.query(
    `WITH funded AS (SELECT id, item, row_number() OVER (ORDER BY code) AS k FROM projects WHERE code LIKE 'BN-%' AND state NOT IN ('proposed.draft', 'proposed.review', 'rejected', 'withdrawn')),
          total AS (SELECT count(*) AS c FROM funded)
     INSERT INTO ledger_entries (fund_id, kind, project_id, item, amount_fen, reason, occurred_at)
     SELECT $1::uuid, 'commit', id, item, 1000000, '基准测试', now() - interval '200 days' FROM funded
     UNION ALL
     SELECT $1::uuid, 'disburse', f.id, f.item, 1000, '基准测试', now() - (n % 180) * interval '1 day'
       FROM generate_series(1, greatest($2::int - (SELECT c FROM total), 0)) n JOIN funded f ON f.k = 1 + n % (SELECT c FROM total)`,
    [fundId, ENTRIES],
  );
  // The balance rows are the sums of the entries, as the engine would have left them.
  await db.query(
    `WITH sums AS (SELECT sum(amount_fen) FILTER (WHERE kind = 'commit') AS c, sum(amount_fen) FILTER (WHERE kind = 'disburse') AS d FROM ledger_entries WHERE fund_id = $1)
     UPDATE fund_balances SET committed_fen = coalesce(sums.c, 0), disbursed_fen = coalesce(sums.d, 0) FROM sums WHERE fund_id = $1`,
    [fundId],
  );
  await db.query(
    `WITH sums AS (SELECT item, sum(amount_fen) FILTER (WHERE kind = 'commit') AS c, sum(amount_fen) FILTER (WHERE kind = 'disburse') AS d FROM ledger_entries WHERE fund_id = $1 GROUP BY item)
     UPDATE fund_item_balances b SET committed_fen = coalesce(sums.c, 0), disbursed_fen = coalesce(sums.d, 0) FROM sums WHERE b.fund_id = $1 AND b.item = sums.item`,
    [fundId],
  );
  await db.query(
    `WITH sums AS (SELECT b.category, sum(b.committed_fen) AS c, sum(b.disbursed_fen) AS d FROM fund_item_balances b WHERE b.fund_id = $1 GROUP BY b.category)
     UPDATE fund_category_balances b SET committed_fen = sums.c, disbursed_fen = sums.d FROM sums WHERE b.fund_id = $1 AND b.category = sums.category`,
    [fundId],
  );
  // Deadlines and tasks, one in three overdue; a daily-check run today with deviation alerts on one executing project in five.
  await db.query(
    `INSERT INTO schedules (id, project_id, deadline, due_date, status, source_seq)
     SELECT gen_random_uuid(), id, 'progress.report', current_date + (CASE WHEN k % 3 = 0 THEN -10 ELSE 30 END), 'active', 1
       FROM (SELECT id, row_number() OVER () AS k FROM projects WHERE code LIKE 'BN-%' AND state IN ('executing', 'inspected', 'deviated-corrected.correcting')) p`,
  );
  await db.query(
    `INSERT INTO tasks (id, project_id, kind, role, status, due_date, opened_seq, created_at)
     SELECT gen_random_uuid(), id, 'review', 'center', 'open', current_date + (CASE WHEN k % 3 = 0 THEN -5 ELSE 5 END), 2, now()
       FROM (SELECT id, row_number() OVER () AS k FROM projects WHERE code LIKE 'BN-%' AND state = 'proposed.review') p`,
  );
  const today = businessDateOf(new Date());
  await db.query(`INSERT INTO periodic_runs (job, period, applied_at) VALUES ('daily-checks', $1, now()) ON CONFLICT DO NOTHING`, [today]);
  await db.query(
    `INSERT INTO alerts (id, kind, severity, project_id, audience_role, dedupe_key, message, created_at)
     SELECT gen_random_uuid(), CASE WHEN k % 10 = 0 THEN 'deviation.red' ELSE 'deviation.yellow' END, CASE WHEN k % 10 = 0 THEN 'red' ELSE 'yellow' END,
            id, 'supervisor', 'bench-deviation.' || id, code || ' 双监控预警（基准测试）', now()
       FROM (SELECT id, code, row_number() OVER () AS k FROM projects WHERE code LIKE 'BN-%' AND state = 'executing') p WHERE k % 5 = 0`,
  );
  await db.query('ANALYZE');
  const sample = (await db.query<{ id: string }>(`SELECT project_id AS id FROM ledger_entries WHERE fund_id = $1 AND kind = 'disburse' LIMIT 1`, [fundId]))[0]!;
  return { fundId, sampleProjectId: sample.id };
}

export interface CountyViewFigures {
  seed: { projects: number; ledgerEntries: number };
  panelApiMs: { routes: Record<string, Latency>; budgetP95Ms: number };
  ledgerApiMs: { routes: Record<string, Latency>; budgetP95Ms: number };
  dashboardInteractiveMs: { median: number; p95: number; runs: number; budgetMs: number; medianFirstPanelRequestMs: number; medianLastPanelResponseMs: number };
  met: boolean;
}

/** Seeds the county-sized data into the journey server's database, then measures. Needs one real project there already. */
export async function measureCountyView(server: JourneyServer, browser: Browser): Promise<CountyViewFigures> {
  const { fundId, sampleProjectId } = await seedCountyData(server);
  const counted = (await server.db.db.query<{ projects: number; entries: number }>(`SELECT (SELECT count(*)::int FROM projects) AS projects, (SELECT count(*)::int FROM ledger_entries) AS entries`))[0]!;
  const token = server.users.leadership.token;
  const time = async (route: string) => {
    const times: number[] = [];
    for (let i = 0; i < CALLS; i += 1) {
      const started = performance.now();
      const response = await fetch(`${server.baseUrl}${route}`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`GET ${route}: ${response.status}`);
      times.push(performance.now() - started);
    }
    return { p50: Number(fmt(quantile(times, 0.5))), p95: Number(fmt(quantile(times, 0.95))), calls: CALLS };
  };
  const panelApiMs: Record<string, { p50: number; p95: number; calls: number }> = {};
  for (const panel of ['balances', 'funnel', 'overdue', 'lights', 'disbursement', 'month']) panelApiMs[`GET /api/v1/dashboard/${panel}`] = await time(`/api/v1/dashboard/${panel}`);
  panelApiMs['GET /api/v1/dashboard/balances?fundId='] = await time(`/api/v1/dashboard/balances?fundId=${fundId}`);
  const middle = (await server.db.db.query<{ id: number }>(`SELECT id FROM ledger_entries ORDER BY id OFFSET $1 LIMIT 1`, [Math.floor(ENTRIES / 2)]))[0]?.id ?? 0;
  const ledgerApiMs: Record<string, { p50: number; p95: number; calls: number }> = {};
  const ledgerRoutes: [string, string][] = [
    ['first page, no filter', '/api/v1/ledger?limit=100'],
    ['fund + kind + item', `/api/v1/ledger?fundId=${fundId}&kind=disburse&item=5&limit=100`],
    ['fund + kind + item, mid-ledger page', `/api/v1/ledger?fundId=${fundId}&kind=disburse&item=5&limit=100&after=${middle}`],
    ['item only (rare kind)', `/api/v1/ledger?kind=recover&item=7&limit=100`],
    ['project', `/api/v1/ledger?projectId=${sampleProjectId}&limit=100`],
  ];
  for (const [name, route] of ledgerRoutes) ledgerApiMs[name] = await time(route);

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  await context.addCookies([{ ...(await sessionCookie(server, server.users.leadership.email)), url: server.baseUrl }]);
  const page = await context.newPage();
  const times: number[] = [];
  // Where the time goes: navigation → first panel request (bundle, session, chunks) → last panel answer → all drawn.
  const phases = { firstPanelRequest: [] as number[], lastPanelResponse: [] as number[] };
  let started = 0;
  let firstRequest = 0;
  let lastResponse = 0;
  page.on('request', (request) => {
    if (request.url().includes('/api/v1/dashboard/') && !firstRequest) firstRequest = performance.now() - started;
  });
  page.on('response', (response) => {
    if (response.url().includes('/api/v1/dashboard/')) lastResponse = Math.max(lastResponse, performance.now() - started);
  });
  const drawn = PANELS.map((id) => `[data-testid="${id}"] svg, [data-testid="${id}"] .ant-typography`).join(', ');
  // Timed by the page itself, like the inbox: every panel present, none still loading, one drawn,
  // then two animation frames. Playwright's polling would add up to 500 ms.
  const ready = `${JSON.stringify(PANELS)}.every((id) => document.querySelector('[data-testid="' + id + '"]') && !document.querySelector('[data-testid="' + id + '"] .ant-spin')) && document.querySelector(${JSON.stringify(drawn)}) !== null`;
  const timeLoad = await pageTimer(context, page, { dashboard: ready });
  for (let run = 0; run < RUNS; run += 1) {
    firstRequest = 0;
    lastResponse = 0;
    started = performance.now();
    times.push((await timeLoad(`${server.baseUrl}/dashboard`, 'dashboard')).idle);
    phases.firstPanelRequest.push(firstRequest);
    phases.lastPanelResponse.push(lastResponse);
  }
  await context.close();
  const dashboardInteractiveMs = {
    median: Number(fmt(quantile(times, 0.5), 0)),
    p95: Number(fmt(quantile(times, 0.95), 0)),
    runs: RUNS,
    budgetMs: 1500,
    medianFirstPanelRequestMs: Number(fmt(quantile(phases.firstPanelRequest, 0.5), 0)),
    medianLastPanelResponseMs: Number(fmt(quantile(phases.lastPanelResponse, 0.5), 0)),
  };
  const met =
    Object.values(panelApiMs).every((figure) => figure.p95 <= 200) && Object.values(ledgerApiMs).every((figure) => figure.p95 <= 300) && dashboardInteractiveMs.median <= 1500;
  return {
    seed: { projects: counted.projects, ledgerEntries: counted.entries },
    panelApiMs: { routes: panelApiMs, budgetP95Ms: 200 },
    ledgerApiMs: { routes: ledgerApiMs, budgetP95Ms: 300 },
    dashboardInteractiveMs,
    met,
  };
}

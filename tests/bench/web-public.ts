import { gzipSync } from 'node:zlib';
import { launchChromium } from '../e2e/support/browser.ts';
import { startJourneyServer, type JourneyServer } from '../e2e/support/journey-server.ts';
import { envNumber } from './support/report.ts';
import { DEFAULT_LIFECYCLE_RULES } from '../../config/lifecycle-rules.ts';
import { budgetLineCovering } from '../../src/domain/item-rules.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';

/**
 * The 公示 page's budget (issue 13: first load at most 150 KB gzip of JavaScript; none is better),
 * measured in this machine's chromium against the real service, plus its HTML size and the
 * server's time at BENCH_PUBLIC_PROJECTS (10,000) disclosed projects. A figure, not a pass/fail.
 * Called with one line from web.bench.ts; it starts and stops its own service and database.
 */
export interface PublicPageFigures {
  disclosedProjects: number;
  /** JavaScript the page loads, gzip: the budget is 150 KB; the page ships none. */
  jsGzipBytes: number;
  jsRequests: number;
  budgetJsGzipBytes: number;
  htmlBytes: number;
  htmlGzipBytes: number;
  /** Server time, ms, over BENCH_PUBLIC_CALLS (50) GETs each: the first page, a filtered page, a search, the whole CSV. */
  serverMs: Record<'firstPage' | 'itemAndYear' | 'search' | 'csvAll', { p50: number; p95: number }>;
  /** Navigation to the table shown in chromium (DOMContentLoaded), median of 5. */
  browserDomContentLoadedMs: number;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! * 10) / 10;
};

/**
 * Clones one project made through the API into `count` disclosed projects (projection columns and
 * balances only, which is all the disclosure reads), spread over 13 items, 3 years and the public states.
 */
async function seedDisclosed(server: JourneyServer, count: number): Promise<void> {
  const { applicant, center, finance } = server.users;
  const post = async (token: string, route: string, body: unknown) => {
    const response = await fetch(`${server.baseUrl}${route}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${route}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<{ id: string }>;
  };
  const template = await post(applicant.token, '/api/v1/projects', {
    title: '基准模板项目', item: 5, requestedFen: 10_000_000, periodStart: '2027-01-01', periodEnd: '2027-12-31',
    targets: [{ id: 'OUT1', level: '产出', subLevel: '数量', name: '培训场次', unit: '场', comparator: '>=', targetValue: 10, weight: 100 }],
    // 预算明细 covering the amount (SUBMIT requires them since the item rules, issue 14).
    budgetLines: [budgetLineCovering(5, 10_000_000, DEFAULT_LIFECYCLE_RULES.items)],
  });
  for (const [token, type] of [[applicant.token, 'SUBMIT'], [center.token, 'APPROVE'], [finance.token, 'APPROVE']] as const) {
    await post(token, `/api/v1/projects/${template.id}/events`, await withMaterialsOverHttp(server, template.id, { type }));
  }
  const db = server.db.db;
  const orgs = await db.query<{ id: string }>(
    `INSERT INTO organisations (id, name, kind) SELECT gen_random_uuid(), '阳城县基准测试单位' || n, 'enterprise' FROM generate_series(1, 50) n RETURNING id`,
  );
  const states = ['approved', 'executing', 'inspected', 'deviated-corrected.correcting', 'suspended.held', 'evaluated.accepted', 'closed', 'terminated'];
  await db.query(
    `WITH t AS (SELECT * FROM projects WHERE id = $1),
          made AS (
            INSERT INTO projects (id, code, org_id, item, title, requested_fen, state, machine_version, snapshot, version, last_hash, created_at, updated_at, tags, fund_id, accepted_grade)
            SELECT gen_random_uuid(),
                   'YC-' || (2024 + n % 3) || '-' || lpad((1 + n % 13)::text, 2, '0') || '-' || lpad(n::text, 5, '0'),
                   ($2::uuid[])[1 + n % 50], 1 + n % 13, '基准公示项目 第' || n || '号 中小企业服务', t.requested_fen,
                   ($3::text[])[1 + n % 8], t.machine_version, t.snapshot, 1, t.last_hash, t.created_at, t.updated_at, '{}', t.fund_id,
                   CASE WHEN ($3::text[])[1 + n % 8] IN ('evaluated.accepted', 'closed') THEN '良' END
              FROM t, generate_series(1, $4::int) n
            RETURNING id, item)
     INSERT INTO project_balances (project_id, fund_id, item, committed_fen, disbursed_fen)
     SELECT made.id, (SELECT fund_id FROM project_balances WHERE project_id = $1), made.item, 10000000, 2500000 FROM made`,
    [template.id, orgs.map((org) => org.id), states, count],
  );
}

async function timeGets(url: string, calls: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < calls; i += 1) {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    times.push(performance.now() - started);
  }
  return { p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
}

export async function measurePublicPage(): Promise<PublicPageFigures> {
  const projects = envNumber('BENCH_PUBLIC_PROJECTS', 10_000);
  const calls = envNumber('BENCH_PUBLIC_CALLS', 50);
  const server = await startJourneyServer();
  const browser = await launchChromium();
  try {
    await seedDisclosed(server, projects);
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    const scripts: number[] = [];
    page.on('response', async (response) => {
      if (response.request().resourceType() === 'script') scripts.push(gzipSync(await response.body()).length);
    });
    const loads: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      await page.goto(`${server.baseUrl}/gongshi`, { waitUntil: 'load' });
      // A string, evaluated in the page: this file is compiled without the DOM types.
      loads.push(Number(await page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0]; return n ? n.domContentLoadedEventEnd - n.startTime : -1; })()")));
    }
    const html = Buffer.from(await (await fetch(`${server.baseUrl}/gongshi`)).arrayBuffer());
    const base = `${server.baseUrl}`;
    return {
      disclosedProjects: (await server.db.db.query<{ count: number }>("SELECT count(*)::int AS count FROM projects WHERE state NOT LIKE 'proposed.%' AND state NOT IN ('rejected', 'withdrawn')"))[0]!.count,
      jsGzipBytes: scripts.reduce((sum, size) => sum + size, 0) / 5,
      jsRequests: scripts.length / 5,
      budgetJsGzipBytes: 150 * 1024,
      htmlBytes: html.length,
      htmlGzipBytes: gzipSync(html).length,
      serverMs: {
        firstPage: await timeGets(`${base}/gongshi`, calls),
        itemAndYear: await timeGets(`${base}/gongshi?item=5&year=2025`, calls),
        search: await timeGets(`${base}/gongshi?q=${encodeURIComponent('第1234号')}`, calls),
        csvAll: await timeGets(`${base}/api/v1/public/projects.csv`, Math.max(5, Math.round(calls / 10))),
      },
      browserDomContentLoadedMs: quantile(loads, 0.5),
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

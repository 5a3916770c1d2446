import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureWebBundle, WEB_DIST } from '../../src/infra/web-bundle.ts';
import { launchChromium } from '../e2e/support/browser.ts';
import { startJourneyServer, type JourneyServer } from '../e2e/support/journey-server.ts';
import { Judge, type BenchOutcome } from './support/judge.ts';
import { pageTimer, selectorShown, sessionCookie } from './support/page-timing.ts';
import { envNumber, fmt, machineInfo, printTable, writeResults } from './support/report.ts';
import { measurePublicPage } from './web-public.ts';
import { measureCountyView } from './web-county.ts';

/**
 * `npm run bench -- web`: the staff pages' budgets, in this machine's chromium, against the real
 * service. Figures, not pass/fail (a benchmark, not a timed test):
 * - the inbox's first-load JavaScript, gzip (budget 500 KB);
 * - the inbox with BENCH_WEB_TASKS (1,000) open tasks: navigation to rows shown and the main thread idle (budget 1 s);
 * - a project page with BENCH_WEB_EVENTS (500) history events: the same (budget 1 s);
 * - the API calls behind those pages, p95 over BENCH_WEB_CALLS (50) calls each (budget 100 ms).
 */
const TASKS = envNumber('BENCH_WEB_TASKS', 1000);
const EVENTS = envNumber('BENCH_WEB_EVENTS', 500);
const CALLS = envNumber('BENCH_WEB_CALLS', 50);
const RUNS = envNumber('BENCH_WEB_RUNS', 7);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};

async function api(server: JourneyServer, token: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${server.baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

const proposal = (n: number) => ({
  title: `基准测试项目 ${n}`,
  item: 5,
  requestedFen: 10_000_000,
  periodStart: '2027-01-01',
  periodEnd: '2027-12-31',
  targets: [{ id: 'OUT1', level: '产出', subLevel: '数量', name: '培训场次', unit: '场', comparator: '>=', targetValue: 10, weight: 100 }],
});

export async function runWebBench(): Promise<BenchOutcome> {
  const machine = machineInfo();
  await ensureWebBundle((line) => console.log(line));
  const server = await startJourneyServer();
  const browser = await launchChromium();
  try {
    const { applicant, finance } = server.users;
    // Seed: projects, then TASKS open review tasks for finance spread over them, and one project with EVENTS history events.
    const projects: { id: string; code: string }[] = [];
    for (let n = 0; n < 20; n += 1) projects.push(await api(server, applicant.token, 'POST', '/api/v1/projects', proposal(n)));
    const rows = Array.from({ length: TASKS }, (_, i) => [randomUUID(), projects[i % projects.length]!.id, 1000 + i, `2026-${String(1 + (i % 12)).padStart(2, '0')}-15`]);
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const values = chunk.map((_, j) => `($${j * 4 + 1}::uuid, $${j * 4 + 2}::uuid, 'review', 1, 'finance', NULL, NULL, 'open', $${j * 4 + 4}::date, $${j * 4 + 3}::int, now())`).join(',');
      await server.db.db.query(`INSERT INTO tasks (id, project_id, kind, step, role, org_id, assignee_id, status, due_date, opened_seq, created_at) VALUES ${values}`, chunk.flat());
    }
    const big = projects[0]!;
    for (let n = 1; n < EVENTS; n += 1) {
      await api(server, applicant.token, 'POST', `/api/v1/projects/${big.id}/events`, { type: 'UPDATE_PROPOSAL', description: `第 ${n} 次修改` });
    }
    const history = await api(server, applicant.token, 'GET', `/api/v1/projects/${big.id}/history`);
    const counts = await api(server, finance.token, 'GET', '/api/v1/tasks/counts');
    const firstPage = await api(server, finance.token, 'GET', '/api/v1/tasks?status=open&limit=50');

    // API latency behind the pages.
    const routes: [string, string][] = [
      ['GET /api/v1/tasks (inbox, first page of 25)', '/api/v1/tasks?status=open&limit=25'],
      ['GET /api/v1/tasks (inbox, a later page)', `/api/v1/tasks?status=open&limit=50&cursor=${encodeURIComponent(firstPage.nextCursor)}`],
      ['GET /api/v1/tasks (inbox, filtered by project text)', '/api/v1/tasks?status=open&limit=50&project=%E5%9F%BA%E5%87%86%E6%B5%8B%E8%AF%95%E9%A1%B9%E7%9B%AE%201'],
      ['GET /api/v1/tasks/counts (menu)', '/api/v1/tasks/counts'],
      ['GET /api/v1/projects/by-code/:code', `/api/v1/projects/by-code/${big.code}`],
      ['GET /api/v1/projects/:id', `/api/v1/projects/${big.id}`],
      ['GET /api/v1/projects/:id/tasks (holders)', `/api/v1/projects/${big.id}/tasks`],
      ['GET /api/v1/projects/:id/history', `/api/v1/projects/${big.id}/history`],
      ['GET /api/v1/projects/:id/schedule', `/api/v1/projects/${big.id}/schedule`],
      ['GET /api/v1/ledger?projectId=', `/api/v1/ledger?projectId=${big.id}&limit=500`],
      ['GET /api/v1/projects (list)', '/api/v1/projects?limit=50'],
      ['GET /api/v1/projects (overdue, light, search)', '/api/v1/projects?limit=50&overdue=true&q=%E5%9F%BA%E5%87%86'],
      ['GET /api/v1/projects (light=red)', '/api/v1/projects?limit=50&light=red'],
    ];
    const apiFigures: Record<string, { p50: number; p95: number; max: number; calls: number }> = {};
    for (const [name, route] of routes) {
      const times: number[] = [];
      for (let i = 0; i < CALLS; i += 1) {
        const started = performance.now();
        await api(server, finance.token, 'GET', route);
        times.push(performance.now() - started);
      }
      apiFigures[name] = { p50: Number(fmt(quantile(times, 0.5))), p95: Number(fmt(quantile(times, 0.95))), max: Number(fmt(Math.max(...times))), calls: CALLS };
    }

    // Pages in chromium, signed in as finance with a real session.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const cookie = await sessionCookie(server, finance.email);
    await context.addCookies([{ ...cookie, url: server.baseUrl }]);
    const page = await context.newPage();
    const scripts = new Set<string>();
    page.on('response', (response) => {
      if (response.url().endsWith('.js')) scripts.add(new URL(response.url()).pathname);
    });
    /** Where the last run's time went: each request's start and end (ms from navigation start), and the DOM ready. */
    const waterfallOf = async () =>
      page.evaluate(`(() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const rows = performance.getEntriesByType('resource').map((entry) => [new URL(entry.name).pathname + new URL(entry.name).search.slice(0, 40), Math.round(entry.startTime), Math.round(entry.responseEnd)]);
        return { domContentLoaded: Math.round(nav.domContentLoadedEventEnd), requests: rows };
      })()`);
    const ROWS = '.ant-table-row';
    const HISTORY = '[data-testid="history-event"]';
    const timeLoad = await pageTimer(context, page, { [ROWS]: selectorShown(ROWS), [HISTORY]: selectorShown(HISTORY) });
    /** Navigation start → the selector in the DOM and two animation frames later (the main thread free again), timed by the page. */
    const timeToInteractive = async (route: string, selector: string) => {
      const times: number[] = [];
      const walls: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        const { idle, wall } = await timeLoad(`${server.baseUrl}${route}`, selector);
        times.push(idle);
        walls.push(wall);
        if ((await page.locator(selector).count()) === 0) throw new Error(`${route}: ${selector} not on the page after it was seen`);
      }
      const waterfall = await waterfallOf();
      // The fastest run too: on a shared, loaded machine it is the closest to the page's own cost.
      return {
        fastest: Number(fmt(Math.min(...times), 0)),
        median: Number(fmt(quantile(times, 0.5), 0)),
        p95: Number(fmt(quantile(times, 0.95), 0)),
        runs: RUNS,
        wallFromTestMedian: Number(fmt(quantile(walls, 0.5), 0)),
        lastRunWaterfall: waterfall,
      };
    };
    const inbox = await timeToInteractive('/', ROWS);
    const inboxScripts = [...scripts];
    const gzipBytes = inboxScripts.reduce((sum, file) => sum + gzipSync(readFileSync(path.join(WEB_DIST, file))).length, 0);
    const projectPage = await timeToInteractive(`/projects/${big.code}`, HISTORY);
    const eventsShown = await page.locator('[data-testid="history-event"]').count();

    const results = {
      benchmark: 'web',
      at: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: os.loadavg().map((value) => Number(value.toFixed(2))) },
      seed: { openTasks: TASKS, openTasksCounted: counts.open, inboxFirstPage: firstPage.items.length, historyEvents: history.events.length, historyEventsShown: eventsShown },
      inboxFirstLoadJs: { files: inboxScripts.length, gzipKB: Number(fmt(gzipBytes / 1024, 1)), budgetKB: 500 },
      inboxInteractiveMs: { ...inbox, budgetMs: 1000 },
      projectPageInteractiveMs: { ...projectPage, budgetMs: 1000 },
      apiMs: { ...apiFigures, budgetP95Ms: 100 },
      publicPage: await measurePublicPage(), // 公示 (issue 13): JS gzip (budget 150 KB), HTML size, server ms at 10,000 disclosed projects; its own service
      county: await measureCountyView(server, browser), // 总览 and 资金台账 (issue 13): panel and ledger API p95 at 10,000 projects / 100,000 entries, dashboard interactive
      notes: [
        'The inbox asks for its first 25 open tasks by due date (keyset pages; "load more" asks for the next) and the counts per kind (GET /api/v1/tasks/counts) for the menu.',
        'interactive = navigation start to the rows in the DOM plus two animation frames, timed in the page (a MutationObserver installed before the page\'s scripts), in headless Debian chromium with a signed-in session. wallFromTestMedian is the same from the test\'s side (goto to the answer), protocol round trips included.',
        'Until 2026-11-30 the figure was taken with Playwright\'s waitForSelector, which polls at 0, 20, 50, 100, 100, then every 500 ms after the load event: it added up to 500 ms that were not the page\'s, and injected its selector engine into the page while it loaded.',
      ],
    };
    printTable('web pages', [
      ['figure', 'value', 'budget'],
      ['inbox first-load JS (gzip KB)', results.inboxFirstLoadJs.gzipKB, 500],
      [`inbox interactive, ${TASKS} open tasks (median ms)`, inbox.median, 1000],
      [`inbox interactive, ${TASKS} open tasks (fastest of ${RUNS} ms)`, inbox.fastest, 1000],
      [`project page interactive, ${history.events.length} events (median ms)`, projectPage.median, 1000],
      [`project page interactive, ${history.events.length} events (fastest of ${RUNS} ms)`, projectPage.fastest, 1000],
      ...Object.entries(apiFigures).map(([name, figure]) => [`${name} p95 ms`, figure.p95, 100]),
    ]);
    console.log(`\nwritten ${writeResults('web.json', results)}`);
    const judge = new Judge('web', { tasks: TASKS, events: EVENTS, calls: CALLS, runs: RUNS });
    judge.atMost('inbox first-load JS, gzip KB', results.inboxFirstLoadJs.gzipKB, 500);
    judge.atMost(`inbox interactive with ${TASKS} open tasks, median ms`, inbox.median, 1000);
    judge.atMost(`project page interactive with ${history.events.length} events, median ms`, projectPage.median, 1000);
    for (const [name, figure] of Object.entries(apiFigures)) judge.atMost(`${name} p95 ms`, figure.p95, 100);
    return judge.outcome();
  } finally {
    await browser.close();
    await server.stop();
  }
}

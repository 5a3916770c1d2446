import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MONITORING_RULES } from '../../config/monitoring-rules.ts';
import { formatYuan } from '../../src/domain/money.ts';
import { localMailer } from '../../src/mail/mailer.ts';
import { runDailyChecks } from '../../src/usecases/checks/run-daily-checks.ts';
import { sendMonthlyReports } from '../../src/usecases/reports/send-monthly-reports.ts';
import { sampleProposal } from '../support/test-app.ts';
import { AxeBuilder } from '@axe-core/playwright';
import { launchChromium, newContext, PageChecks, PHONE, snap } from './support/browser.ts';
import { addStaffUser, ensureStandardOrganisations } from '../../src/admin/standard-directory.ts';
import { startJourneyServer, type JourneyRole, type JourneyServer } from './support/journey-server.ts';
import { signIn } from './support/pages.ts';
import { withMaterialsOverHttp } from '../support/materials.ts';

/**
 * The county's view in the browser (issue 13, journeys 2, 3 and 4) against the real service:
 * finance records a fund and the dashboard's figures equal the ledger API's sums; an alert the
 * daily check raised is acknowledged from the alerts page; each report is previewed and
 * downloaded, and the fund execution workbook's totals equal the ledger.
 */
let server: JourneyServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const checks = new PageChecks();

beforeAll(async () => {
  server = await startJourneyServer();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await server?.stop();
});

const look = (page: Page, name: string) => checks.look(page, name);

/**
 * A page that shows a report in its sandboxed frame: axe skips the frame (a frame that runs no
 * script cannot host axe), and the report itself is checked on its own (checkReportPage).
 */
async function lookAroundReport(page: Page, name: string): Promise<void> {
  // No networkidle wait: once a sandboxed srcdoc frame was on the page, Chromium never reports the page idle again; the caller has awaited what it shows.
  await snap(page, name);
  const results = await new AxeBuilder({ page }).exclude('iframe').analyze();
  checks.note(
    name,
    results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({ page: name, id: violation.id, impact: violation.impact ?? '', help: violation.help, targets: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')) })),
  );
}

/** The report's HTML opened as a page of its own (what the download saves), screenshotted and checked with axe. */
async function checkReportPage(page: Page, testId: string, name: string): Promise<void> {
  const href = await page.getByTestId(testId).getAttribute('href');
  const report = await page.context().newPage();
  await report.goto(new URL(href!, page.url()).toString());
  await look(report, name);
  await report.close();
}

async function session(role: JourneyRole, viewport?: { width: number; height: number }): Promise<Page> {
  const context = await newContext(browser, viewport);
  context.setDefaultTimeout(60_000);
  contexts.push(context);
  return signIn(context, server, server.users[role].email, 'code');
}

async function api<T = any>(role: JourneyRole, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.users[role].token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 400)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

const KINDS = ['allocate', 'commit', 'disburse', 'release', 'recover'] as const;
type Sums = Record<(typeof KINDS)[number], number>;

/** Σ of the ledger API's entries per kind, paging through /api/v1/ledger. */
async function ledgerSums(fundId?: string): Promise<Sums> {
  const sums: Sums = { allocate: 0, commit: 0, disburse: 0, release: 0, recover: 0 };
  let after: number | null = null;
  do {
    const query: string = new URLSearchParams({ limit: '500', ...(fundId ? { fundId } : {}), ...(after !== null ? { after: String(after) } : {}) }).toString();
    const page = await api<{ items: { kind: keyof Sums; amountFen: number }[]; next: number | null }>('finance', 'GET', `/api/v1/ledger?${query}`);
    for (const entry of page.items) sums[entry.kind] += entry.amountFen;
    after = page.next;
  } while (after !== null);
  return sums;
}

const isoDaysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A project through the API up to `until`, as its roles would take it. */
async function seedProject(title: string, until: 'executing' | 'evaluated'): Promise<{ id: string; code: string }> {
  const created = await api<{ id: string; code: string }>(
    'applicant',
    'POST',
    '/api/v1/projects',
    sampleProposal({ title, item: 5, requestedFen: 20_000_000, periodStart: isoDaysFromNow(1), periodEnd: isoDaysFromNow(300) }),
  );
  const send = async (role: JourneyRole, type: string, payload: Record<string, unknown> = {}) =>
    api(role, 'POST', `/api/v1/projects/${created.id}/events`, await withMaterialsOverHttp(server, created.id, { type, ...payload }));
  await send('applicant', 'SUBMIT');
  await send('center', 'APPROVE');
  await send('finance', 'APPROVE');
  await send('finance', 'DISBURSE', { amountFen: 8_000_000 });
  if (until === 'evaluated') {
    await send('applicant', 'COMPLETE');
    await send('evaluator', 'SUBMIT_EVALUATION', {
      indicators: [
        { indicatorId: 'OUT1', actual: 12 },
        { indicatorId: 'OUT2', actual: 150 },
        { indicatorId: 'EFF1', actual: 80 },
        { indicatorId: 'SAT1', band: 'achieved', percent: 90 },
      ],
      report: { 基本情况: '按计划完成培训。', 评价工作开展情况: '现场核查。', 综合评价结论: '良好。', 绩效分析: '产出达标。', 存在问题: '无。', 建议: '继续实施。' },
    });
  }
  return created;
}

/**
 * Fetches what a download link of the page points at, with the page's own session (the browser's
 * cookies), and checks it is served as a file of its format.
 */
async function downloaded(page: Page, testId: string): Promise<{ body: Buffer; type: string; disposition: string }> {
  const href = await page.getByTestId(testId).getAttribute('href');
  expect(href, testId).toBeTruthy();
  expect(await page.getByTestId(testId).getAttribute('download')).not.toBeNull();
  const response = await page.request.get(new URL(href!, page.url()).toString());
  expect(response.status(), testId).toBe(200);
  return { body: await response.body(), type: response.headers()['content-type'] ?? '', disposition: response.headers()['content-disposition'] ?? '' };
}

async function previewText(page: Page, kind: string): Promise<string> {
  const frame = page.frameLocator(`[data-testid="preview-${kind}"]`);
  await frame.locator('h1').first().waitFor();
  return (await frame.locator('body').textContent()) ?? '';
}

describe('the county view in the browser', () => {
  it('journeys 2, 3 and 4: a new fund on the dashboard, an alert acknowledged, every report previewed and downloaded', { timeout: 900_000 }, async () => {
    const executing = await seedProject('2026年中小企业经营管理人才培训', 'executing');
    const evaluated = await seedProject('2026年专精特新企业培训', 'evaluated');

    // 2. Finance records a fund on the funds page; its figures and the dashboard's equal the ledger API's sums.
    const finance = await session('finance');
    await finance.getByRole('link', { name: '资金', exact: true }).click();
    await finance.getByRole('heading', { name: '资金', exact: true }).waitFor();
    await finance.getByRole('button', { name: '登记资金' }).click();
    const dialog = finance.getByRole('dialog');
    await dialog.getByLabel('资金名称').fill('2026年第二批示范县奖励资金');
    await dialog.getByLabel('下达文号').fill('晋企发〔2026〕3号');
    await dialog.getByLabel('金额（元）').fill('2,500,000');
    await dialog.getByLabel('到账日期').fill(isoDaysFromNow(-1));
    await dialog.getByRole('button', { name: '登记', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const fundRow = finance.getByTestId('funds-table').getByRole('row').filter({ hasText: '2026年第二批示范县奖励资金' });
    await fundRow.waitFor();
    const funds = await api<{ items: { id: string; name: string }[] }>('finance', 'GET', '/api/v1/funds');
    const newFund = funds.items.find((fund) => fund.name === '2026年第二批示范县奖励资金')!;
    const newFundSums = await ledgerSums(newFund.id);
    expect(newFundSums.allocate).toBe(250_000_000);
    expect(await fundRow.getByTestId('fund-allocatedFen').textContent()).toBe(formatYuan(newFundSums.allocate));
    expect(await fundRow.getByTestId('fund-availableFen').textContent()).toBe(formatYuan(newFundSums.allocate + newFundSums.recover - newFundSums.commit + newFundSums.release));
    await finance.getByRole('row').filter({ hasText: executing.code }).first().waitFor();
    await look(finance, 'county-funds');

    const sums = await ledgerSums();
    await finance.getByRole('link', { name: '总览', exact: true }).click();
    await finance.getByRole('heading', { name: '总览' }).waitFor();
    const total = (key: string) => finance.getByTestId(`total-${key}`).locator('.ant-statistic-content-value').textContent();
    await finance.getByTestId('total-allocated').waitFor();
    expect(await total('allocated')).toBe(formatYuan(sums.allocate));
    expect(await total('committed')).toBe(formatYuan(sums.commit));
    expect(await total('disbursed')).toBe(formatYuan(sums.disburse));
    expect(await total('released')).toBe(formatYuan(sums.release));
    expect(await total('recovered')).toBe(formatYuan(sums.recover));
    expect(await total('available')).toBe(formatYuan(sums.allocate + sums.recover - (sums.commit - sums.release)));
    expect(sums.commit).toBe(40_000_000);
    expect(sums.disburse).toBe(16_000_000);
    await finance.getByTestId('panel-funnel').locator('svg').first().waitFor();
    await look(finance, 'county-dashboard');
    // Every chart has its table; the funnel's table opens the filtered project list.
    const funnel = finance.getByTestId('panel-funnel');
    await funnel.getByText('表格', { exact: true }).click();
    await funnel.getByRole('link', { name: '实施中' }).click();
    await finance.waitForURL(/\/projects\?state=executing$/);
    await finance.goBack();
    await finance.getByTestId('panel-balances').getByText('表格', { exact: true }).click();
    await finance.getByTestId('panel-balances').getByRole('link', { name: '5. 培训学习' }).waitFor();
    await look(finance, 'county-dashboard-tables');

    // 3. The daily check (the real use case) finds the deadlines overdue; the supervisor acknowledges one from the alerts page.
    const later = new Date(Date.now() + 200 * 86_400_000);
    // Its daily digests go to the local mailbox: this journey is about the alerts page, not the mail.
    const report = await runDailyChecks({ db: server.db.db, mailer: localMailer(server.db.db), publicUrl: server.baseUrl, rules: DEFAULT_MONITORING_RULES, now: () => later });
    expect(report.overdue).toBeGreaterThan(0);
    const supervisor = await session('supervisor');
    await supervisor.getByRole('link', { name: '预警', exact: true }).click();
    await supervisor.getByRole('heading', { name: '预警' }).waitFor();
    const alertRow = supervisor.getByRole('row').filter({ hasText: executing.code }).filter({ hasText: '逾期' }).first();
    await alertRow.waitFor();
    await look(supervisor, 'county-alerts');
    const kindText = await alertRow.locator('td').nth(2).textContent();
    expect(kindText).toMatch(/逾期$/);
    expect(kindText).not.toMatch(/[a-z]/);
    await alertRow.getByRole('button', { name: /确认预警/ }).click();
    const ack = supervisor.getByRole('dialog');
    await ack.getByLabel('处理说明').fill('已电话督促项目单位报送进度');
    await snap(supervisor, 'county-alert-acknowledge');
    await ack.getByRole('button', { name: '确认', exact: true }).click();
    await ack.waitFor({ state: 'detached' });
    await supervisor.getByText('已确认', { exact: true }).first().click();
    await supervisor.getByRole('row').filter({ hasText: '已电话督促项目单位报送进度' }).waitFor();
    await look(supervisor, 'county-alerts-acknowledged');
    const acknowledged = await api<{ items: { projectCode: string; acknowledgedNote: string }[] }>('supervisor', 'GET', '/api/v1/alerts?acknowledged=true');
    expect(acknowledged.items).toEqual([expect.objectContaining({ projectCode: executing.code, acknowledgedNote: '已电话督促项目单位报送进度' })]);

    // New alerts appear without a reload: the next day's check raises new 双监控 alerts while the page stays open (it polls every 30 s).
    await supervisor.getByText('待处理', { exact: true }).first().click();
    const openRows = supervisor.getByRole('row').filter({ hasText: '双监控' });
    await openRows.first().waitFor();
    const before = await openRows.count();
    const url = supervisor.url();
    const nextDay = new Date(later.getTime() + 86_400_000);
    await runDailyChecks({ db: server.db.db, mailer: localMailer(server.db.db), publicUrl: server.baseUrl, rules: DEFAULT_MONITORING_RULES, now: () => nextDay });
    await expect.poll(() => openRows.count(), { timeout: 45_000, interval: 500 }).toBeGreaterThan(before);
    expect(supervisor.url()).toBe(url);

    // The dashboard now shows the lights that check left.
    await supervisor.getByRole('link', { name: '总览', exact: true }).click();
    await supervisor.getByTestId('panel-lights').locator('svg').first().waitFor();
    await look(supervisor, 'county-dashboard-after-check');

    // 4. Each report is previewed and downloaded (HTML, XLSX, CSV); the fund execution workbook's totals equal the ledger.
    // Last month's reports as the monthly job sends them (this service has no authority user: a month with no recipient).
    await sendMonthlyReports({ db: server.db.db, mailer: localMailer(server.db.db), now: () => new Date() });
    const center = await session('center');
    await center.getByRole('link', { name: '报表', exact: true }).click();
    await center.getByRole('heading', { name: '报表' }).waitFor();
    expect(await previewText(center, 'supervision')).toContain('监督检查');
    await lookAroundReport(center, 'county-reports-supervision');
    await checkReportPage(center, 'download-supervision-html', 'county-report-supervision-html');
    for (const format of ['html', 'xlsx', 'csv'] as const) {
      const { body, type, disposition } = await downloaded(center, `download-supervision-${format}`);
      expect(body.length, `supervision ${format}`).toBeGreaterThan(100);
      expect(type).toContain({ html: 'text/html', xlsx: 'spreadsheetml', csv: 'text/csv' }[format]);
      if (format !== 'html') expect(disposition).toMatch(new RegExp(`attachment; filename=".+\\.${format}"`));
    }

    await center.getByRole('tab', { name: '资金执行情况报告' }).click();
    expect(await previewText(center, 'fund-execution')).toContain('奖励资金执行情况报告');
    await lookAroundReport(center, 'county-reports-fund-execution');
    await checkReportPage(center, 'download-fund-execution-html', 'county-report-fund-execution-html');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await downloaded(center, 'download-fund-execution-xlsx')).body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('资金总体情况')!;
    const header = (sheet.getRow(2).values as unknown[]).map(String);
    let totalsRow: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === '合计') totalsRow = row;
    });
    const cellFen = (label: string) => Math.round(Number(totalsRow!.getCell(header.indexOf(label)).value) * 100);
    expect(cellFen('到位金额（元）')).toBe(sums.allocate);
    expect(cellFen('已安排（元）')).toBe(sums.commit);
    expect(cellFen('已拨付（元）')).toBe(sums.disburse);
    expect(cellFen('已追回（元）')).toBe(sums.recover);
    expect(cellFen('可用余额（元）')).toBe(sums.allocate + sums.recover - (sums.commit - sums.release));
    for (const format of ['html', 'csv'] as const) expect((await downloaded(center, `download-fund-execution-${format}`)).body.length).toBeGreaterThan(100);

    await center.getByRole('tab', { name: '绩效评价报告' }).click();
    await center.getByLabel('项目编号').fill(evaluated.code);
    await center.getByRole('button', { name: '查看' }).click();
    expect(await previewText(center, 'evaluation')).toContain(evaluated.code);
    await lookAroundReport(center, 'county-reports-evaluation');
    await checkReportPage(center, 'download-evaluation-html', 'county-report-evaluation-html');
    for (const format of ['html', 'xlsx', 'csv'] as const) expect((await downloaded(center, `download-evaluation-${format}`)).body.length).toBeGreaterThan(100);
    const evaluationBook = new ExcelJS.Workbook();
    await evaluationBook.xlsx.load((await downloaded(center, 'download-evaluation-xlsx')).body as unknown as ArrayBuffer);
    expect(evaluationBook.worksheets.length).toBeGreaterThan(1);

    await center.getByRole('tab', { name: '月报发送记录' }).click();
    await center.getByRole('tabpanel').getByRole('row').filter({ hasText: /\d{4}-\d{2}/ }).first().waitFor();
    await lookAroundReport(center, 'county-reports-history');

    expect(checks.checked.length).toBeGreaterThanOrEqual(12);
    expect(checks.findings, JSON.stringify(checks.findings, null, 2)).toEqual([]);
  });
  it('at phone width (390×844) the county pages fit the screen and pass axe', { timeout: 600_000 }, async () => {
    const seen = checks.findings.length;
    const phone = await session('finance', PHONE);
    for (const [menu, heading, name] of [
      ['总览', '总览', 'county-phone-dashboard'],
      ['预警', '预警', 'county-phone-alerts'],
      ['资金', '资金', 'county-phone-funds'],
      ['报表', '报表', 'county-phone-reports'],
    ] as const) {
      await phone.getByRole('link', { name: menu, exact: true }).click();
      await phone.getByRole('heading', { name: heading, exact: true }).waitFor();
      if (menu === '报表') {
        await phone.frameLocator('[data-testid="preview-supervision"]').locator('h1').first().waitFor();
        await lookAroundReport(phone, name);
      } else {
        await look(phone, name);
      }
      // Nothing pushes the page sideways: a wide table or chart scrolls inside its own box.
      // A string: the tests compile without the DOM library.
      const overflow = Number(await phone.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
      expect(overflow, `${name} is wider than the phone`).toBeLessThanOrEqual(0);
    }
    expect(checks.findings.slice(seen), JSON.stringify(checks.findings.slice(seen), null, 2)).toEqual([]);
  });

  it('an admin edits an organisation on 人员与单位: its name, and its 统一社会信用代码 checked as typed', { timeout: 600_000 }, async () => {
    const seen = checks.findings.length;
    const admin = await addStaffUser(server.db.db, await ensureStandardOrganisations(server.db.db), 'admin', `county-admin-${Date.now()}@yc.test`, '周管理');
    const created = await fetch(`${server.baseUrl}/api/v1/admin/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '阳城县某农业合作社', kind: 'enterprise' }),
    });
    expect(created.status).toBe(201);
    const context = await newContext(browser);
    context.setDefaultTimeout(60_000);
    contexts.push(context);
    const page = await signIn(context, server, admin.email, 'code');
    await page.goto(`${server.baseUrl}/admin?tab=orgs`);
    await page.getByRole('button', { name: '编辑阳城县某农业合作社' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('单位名称').fill('阳城县某农业专业合作社');
    await dialog.getByLabel('统一社会信用代码').fill('91140522MA0GRY8H93');
    await dialog.getByText('统一社会信用代码校验码错误，请核对').waitFor();
    await dialog.getByLabel('统一社会信用代码').fill('91140522ma0gry8h92');
    await expect.poll(() => dialog.getByText('统一社会信用代码校验码错误，请核对').count()).toBe(0);
    await look(page, 'admin-org-edit');
    await dialog.getByRole('button', { name: '保存', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByRole('row').filter({ hasText: '阳城县某农业专业合作社' });
    await row.filter({ hasText: '91140522MA0GRY8H92' }).waitFor();
    const listed = (await (await fetch(`${server.baseUrl}/api/v1/admin/orgs`, { headers: { authorization: `Bearer ${admin.token}` } })).json()) as { items: { name: string; creditCode: string | null }[] };
    expect(listed.items).toContainEqual(expect.objectContaining({ name: '阳城县某农业专业合作社', creditCode: '91140522MA0GRY8H92' }));
    expect(checks.findings.slice(seen), JSON.stringify(checks.findings.slice(seen), null, 2)).toEqual([]);
  });
});
